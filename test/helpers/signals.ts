/*
 * SfCommand registers process-wide SIGINT/SIGTERM/SIGBREAK/SIGHUP listeners on every run that call
 * this.exit(130). Run in-process, each test would leave its listeners behind (a throw from a stale
 * command if the test runner is ever signalled, and a MaxListeners warning): take them off afterwards.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as const;

/** Call before a run; call what it returns after, to remove the listeners the run added. */
export function signalListenerGuard(): () => void {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  return () => {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
      }
    }
  };
}
