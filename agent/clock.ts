// The agent's time, injected: the wall clock for what it reports, a monotonic clock for deadlines
// it must keep whatever the wall clock does (a withdraw lease), and its timers. Tests pass a
// fake one and move it by hand.

export type Timer = { readonly id: unknown };

export type Clock = {
  /** Wall-clock time, for reports and logs. */
  now(): Date;
  /** Milliseconds on a clock that never jumps (performance.now), for deadlines. */
  monotonic(): number;
  /** Runs `run` once after `ms`; the timer does not keep the process alive. */
  setTimer(run: () => void, ms: number): Timer;
  clearTimer(timer: Timer | undefined | null): void;
};

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
  setTimer(run, ms) {
    const handle = setTimeout(run, ms);
    handle.unref();
    return { id: handle };
  },
  clearTimer(timer) {
    if (timer) clearTimeout(timer.id as NodeJS.Timeout);
  },
};
