package sim.example.register;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import sim.core.lin.HistoryRecorder;
import sim.core.lin.Models;
import sim.core.lin.Operation;

/**
 * What the client saw, written down as a linearizability history on the kernel's clock (not the client's,
 * which a fault may skew): each write from its first send to its ack, each read from its send to its reply.
 * It lives outside the client node, like a test harness's log, so it survives a crash of the client.
 */
final class ClientHistory {
  private final LongSupplier clock;
  private final HistoryRecorder<Models.RegisterOp, Object> recorder = new HistoryRecorder<>();
  private final Map<Long, Integer> writes = new HashMap<>();
  private final Map<Long, Integer> reads = new HashMap<>();

  ClientHistory(LongSupplier clock) {
    this.clock = clock;
  }

  void writeSent(long id, String value) {
    writes.computeIfAbsent(id, k -> recorder.invoke(0, new Models.Write(value), clock.getAsLong()));
  }

  void writeAcked(long id) {
    Integer op = writes.get(id);
    if (op != null && recorder.isOpen(op)) recorder.ok(op, null, clock.getAsLong());
  }

  void readSent(long id) {
    reads.put(id, recorder.invoke(1, new Models.Read(), clock.getAsLong()));
  }

  void readReturned(long id, String value) {
    Integer op = reads.get(id);
    if (op != null && recorder.isOpen(op)) recorder.ok(op, value, clock.getAsLong());
  }

  /** Every operation so far; those never answered count as unknown (they may have taken effect). */
  List<Operation<Models.RegisterOp, Object>> operations() {
    return recorder.history();
  }
}
