package sim.core.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import sim.core.Check;

/**
 * The structured record of a run. It keeps a running hash of every event (equal hashes ⇔ identical runs,
 * for practical purposes), a bounded window of the latest events for error reports and the stepper, and
 * hands each event to its listeners.
 */
public final class Trace {
  private final LongSupplier clock;
  private final TraceEvent[] recent;
  private final List<TraceListener> listeners = new ArrayList<>();
  private long count;
  private long hash = 1469598103934665603L;

  public Trace(LongSupplier clock, int recentCapacity) {
    Check.argument(recentCapacity > 0, "recent capacity must be positive");
    this.clock = clock;
    this.recent = new TraceEvent[recentCapacity];
  }

  public TraceEvent record(String node, String kind, String detail) {
    return add(new TraceEvent(count, clock.getAsLong(), node, kind, detail));
  }

  /** A message event: {@code kind} is send, deliver or drop; {@code messageId} links a send to its fate. */
  public TraceEvent recordMessage(String node, String kind, String detail, String from, String to, String messageType,
      long messageId) {
    return recordMessage(node, kind, detail, from, to, messageType, messageId, List.of());
  }

  /** A message event with attributes (a drop's {@code reason}). */
  public TraceEvent recordMessage(String node, String kind, String detail, String from, String to, String messageType,
      long messageId, List<Object> attributes) {
    return add(new TraceEvent(count, clock.getAsLong(), node, kind, detail, from, to, messageType, messageId, attributes));
  }

  /** A write-path point with its attributes as key, value pairs. */
  public TraceEvent recordPoint(String node, String kind, String detail, List<Object> attributes) {
    return add(new TraceEvent(count, clock.getAsLong(), node, kind, detail, null, null, null, -1, attributes));
  }

  private TraceEvent add(TraceEvent e) {
    recent[(int) (count % recent.length)] = e;
    count++;
    hash = (hash ^ e.contentHash()) * 0x100000001b3L;
    for (int i = 0; i < listeners.size(); i++) listeners.get(i).onEvent(e);
    return e;
  }

  public void addListener(TraceListener listener) {
    listeners.add(Check.notNull(listener, "listener"));
  }

  public long count() {
    return count;
  }

  /** Hash of everything recorded so far; two runs of the same seed must end with the same hash. */
  public long hash() {
    return hash;
  }

  public String hashHex() {
    return String.format("%016x", hash);
  }

  /** The latest {@code k} events (at most the window kept), oldest first. */
  public List<TraceEvent> last(int k) {
    int n = (int) Math.min(Math.min(k, count), recent.length);
    List<TraceEvent> out = new ArrayList<>(n);
    for (long i = count - n; i < count; i++) out.add(recent[(int) (i % recent.length)]);
    return out;
  }
}
