// The driver role: one engineer at a time appends an incident's decisions and steps. It is a
// lease on the incident's head — claimed when a walk starts or resumes, renewed while the
// process runs, given up when it ends — so a crashed driver's role simply expires, and a
// second `resume` while it is live says who drives (`--take` takes it, journaled with why).
import { randomUUID } from 'node:crypto';
import { MangaopsError } from '../core/errors.js';
import type { Head } from './store.js';
import type { Team } from './team.js';

const hms = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** "alice@laptop drives incident … (since 20:15:02 UTC; driver lease until 20:19:04 UTC)". */
export function drivesMessage(head: Head): string {
  const since = head.driverSince ? ` since ${head.driverSince.slice(11, 19)} UTC;` : '';
  return `${head.driver} drives incident ${head.incident} (${since} driver lease until ${hms(head.driverUntil ?? 0)} UTC)`.replace('( ', '(');
}

export class DriverRole {
  private readonly token = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  private lost = false;

  constructor(
    private readonly team: Team,
    readonly incident: string,
  ) {}

  /**
   * Become the driver. Refused (a MangaopsError naming who drives) while someone else's driver
   * lease is live, unless `take`. Returns who drove before, when someone live did.
   */
  async claim(take?: string): Promise<{ previous?: string }> {
    const { store, identity, settings } = this.team;
    const now = this.team.now();
    const claim = await store.claimDriver(this.incident, identity.id, this.token, now, now + settings.leaseMs, take !== undefined);
    if (!claim.ok) {
      throw new MangaopsError(`${drivesMessage({ ...claim.head, incident: this.incident })}: only the driver appends decisions and steps`, 1, `watch it: mangaops follow ${this.incident}; or take over, saying why: mangaops resume ${this.incident} --take "<reason>"`);
    }
    this.held = true;
    this.beat();
    const p = claim.previous;
    return p?.driver && p.driver !== identity.id && (p.driverUntil ?? 0) > now ? { previous: p.driver } : {};
  }

  /**
   * Before a change is applied: still the driver? (Renewing is the check.) Someone who took
   * the incident over or had it handed over meanwhile is the only one who may change things now.
   */
  async confirm(): Promise<void> {
    if (!this.held || !this.team.reachable) return;
    let ok: boolean;
    try {
      ok = await this.team.store.renewDriver(this.incident, this.token, this.team.now() + this.team.settings.leaseMs);
    } catch (e) {
      this.team.unreachable(e);
      return;
    }
    if (ok && !this.lost) return;
    this.lost = true;
    throw new MangaopsError(`you no longer drive incident ${this.incident}: it was taken over or handed over. Nothing was changed`, 1, `mangaops incidents shows who drives it; mangaops follow ${this.incident}`);
  }

  /** A new incident: nobody else can drive it yet, so the claim need not hold the walk up. */
  claimNew(): Promise<void> {
    return this.claim().then(
      () => undefined,
      (e) => this.team.unreachable(e),
    );
  }

  private beat(): void {
    const { store, settings } = this.team;
    this.timer = setInterval(() => {
      store.renewDriver(this.incident, this.token, this.team.now() + settings.leaseMs).then(
        (ok) => {
          if (ok || this.lost) return;
          this.lost = true;
          clearInterval(this.timer);
          this.team.warn(`you no longer drive incident ${this.incident}: someone took it over or it was handed over (mangaops incidents)`);
        },
        (e) => this.team.unreachable(e),
      );
    }, Math.max(50, settings.leaseMs / 3));
    this.timer.unref();
  }

  /** Give the role up (the walk ended); a role already lost or taken over is left alone. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    if (!this.held || this.lost || !this.team.reachable) return;
    this.held = false;
    await this.team.store.releaseDriver(this.incident, { token: this.token }).catch((e) => this.team.unreachable(e));
  }
}
