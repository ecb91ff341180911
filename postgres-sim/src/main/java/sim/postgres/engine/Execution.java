package sim.postgres.engine;

/** A statement in progress: run until it finishes or must wait for other transactions to end. */
interface Execution {
  sealed interface Step {}

  record Done(Result result) implements Step {}

  /** Wait until any of these transactions ends, then call {@link #run} again. */
  record Wait(int[] xids, String what) implements Step {}

  Step run();
}
