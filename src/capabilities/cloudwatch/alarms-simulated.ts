// The drill world's alarms: a fixed list, as a game day sets it up (no AWS is touched).
import type { AlarmInfo, AlarmsPort } from './alarms.js';

export function simulatedAlarms(alarms: AlarmInfo[] = []): AlarmsPort {
  return {
    async inAlarm() {
      return alarms.filter((a) => a.state === 'ALARM');
    },
    async byName(name) {
      return alarms.find((a) => a.name === name);
    },
  };
}
