package sim.kafka.client;

import java.util.ArrayList;
import java.util.List;

/**
 * What the transactional producer's application saw, for lesson checks: each transaction it began, with its records
 * and how it ended. It outlives the producer's crashes (the application's log, not the client's memory); the
 * safety checks judge the logs, not this.
 */
public final class TxnLedger {
  /** {@code outcome}: committed, aborted (EndTxn answered), fenced (a newer epoch took over), or open. */
  public record Txn(String name, List<String> values, String outcome) {}

  private final List<Txn> txns = new ArrayList<>();

  void ended(Txn t) {
    txns.add(t);
  }

  public List<Txn> transactions() {
    return List.copyOf(txns);
  }

  public long count(String outcome) {
    return txns.stream().filter(t -> t.outcome().equals(outcome)).count();
  }
}
