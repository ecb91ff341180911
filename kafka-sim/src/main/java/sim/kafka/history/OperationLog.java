package sim.kafka.history;

/**
 * Where the clients write down what the application did and saw, for the linearizability check: each
 * produce from the moment the application handed the record over to its acknowledgement, each consumer fetch
 * that returned records. Times are the simulation's global clock (not a node's skewed one), because
 * linearizability is about real-time order.
 */
public interface OperationLog {
  /** The simulation's time now. */
  long nowNanos();

  /** An operation began at {@code atNanos}; returns its id. */
  int invoke(String client, LogOperation op, long atNanos);

  /** It returned {@code output} now: an offset for a produce, the values read for a fetch. */
  void ok(int id, Object output);

  /** It ended without an answer (delivery timeout, error after retries): it may or may not have taken effect. */
  void unknown(int id);

  /** Records nothing: for clients outside a checked scenario. */
  OperationLog NONE = new OperationLog() {
    @Override
    public long nowNanos() {
      return 0;
    }

    @Override
    public int invoke(String client, LogOperation op, long atNanos) {
      return -1;
    }

    @Override
    public void ok(int id, Object output) {}

    @Override
    public void unknown(int id) {}
  };
}
