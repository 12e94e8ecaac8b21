// The options each command receives: the one map the CLI wiring (program.ts) produces and the
// dispatcher (main.ts) hands on, so each command gets its own declared options type, checked
// at compile time. Types only: nothing here loads a command.
import type { ActOptions } from '../commands/act.js';
import type { AlarmsOptions } from '../commands/alarms.js';
import type { OnAlarmOptions } from '../commands/on-alarm.js';
import type { ToCaseOptions } from '../commands/to-case.js';
import type { ApproveOptions } from '../commands/approve.js';
import type { ConfigInitOptions } from '../commands/config-init.js';
import type { CommonOptions } from '../commands/context.js';
import type { DiagnoseOptions } from '../commands/diagnose.js';
import type { DrillOptions } from '../commands/drill.js';
import type { GateOptions } from '../commands/gate.js';
import type { IamPolicyOptions } from '../commands/iam-policy.js';
import type { RegressOptions } from '../commands/regress.js';
import type { ResumeOptions } from '../commands/resume.js';
import type { FollowOptions, HandoverOptions, IncidentsOptions, TeamInitOptions, TeamSyncOptions } from '../commands/team.js';
import type { UndoOptions } from '../commands/undo.js';
import type { WatchOptions } from '../commands/watch.js';

export interface CommandOptions {
  list: CommonOptions;
  validate: CommonOptions & { files: string[]; casesDir?: string };
  graph: CommonOptions & { scenario: string; format: 'mermaid' | 'text' };
  drill: DrillOptions;
  diagnose: DiagnoseOptions;
  alarms: AlarmsOptions;
  'on-alarm': OnAlarmOptions;
  resume: ResumeOptions;
  'journal-list': CommonOptions;
  'journal-show': CommonOptions & { incident: string; format: 'text' | 'json' | 'markdown' };
  'journal-to-case': ToCaseOptions;
  regress: CommonOptions & RegressOptions;
  gate: CommonOptions & Omit<GateOptions, 'budgets'>;
  'iam-policy': IamPolicyOptions;
  act: ActOptions;
  undo: UndoOptions;
  watch: WatchOptions;
  completion: CommonOptions & { shell: string };
  'config-init': ConfigInitOptions;
  incidents: IncidentsOptions;
  follow: FollowOptions;
  handover: HandoverOptions;
  approve: ApproveOptions;
  'team-init': TeamInitOptions;
  'team-sync': TeamSyncOptions;
}

export type CommandName = keyof CommandOptions;

/** Runs one command with its options; the CLI passes main()'s, tests a recorder. */
export type Dispatch = <K extends CommandName>(command: K, options: CommandOptions[K]) => Promise<number>;
