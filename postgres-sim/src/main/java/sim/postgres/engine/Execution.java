package sim.postgres.engine;

/** A statement in progress: run until it finishes or must wait for other transactions to end. */
interface Execution {
  sealed interface Step {}

  record Done(Result result) implements Step {}

  /** Wait until any of these transactions ends, then call {@link #run} again. */
  record Wait(int[] xids, String what) implements Step {}

  /** pg_sleep: keep running (snapshot held) for this long, then call {@link #run} again. */
  record Sleep(long nanos) implements Step {}

  Step run();
}
