package sim.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import sim.core.Simulation.InFlight;
import sim.core.event.EventQueue;

/**
 * The messages on their way, as the stepper and fault plans see them: listed, lost ({@code drop message ID})
 * or duplicated. They live in the kernel's event queue (and, behind a paused node, in its deferred list);
 * this class only looks at them there, so listing them changes nothing in the run.
 */
final class InFlightMessages {
  private final EventQueue<KernelEvent> queue;
  private final Collection<NodeSlot> slots;
  private final LongSupplier nowNanos;
  /** Messages a fault plan said to lose: they die where they would have arrived. */
  private final TreeSet<Long> doomed = new TreeSet<>();

  InFlightMessages(EventQueue<KernelEvent> queue, Collection<NodeSlot> slots, LongSupplier nowNanos) {
    this.queue = queue;
    this.slots = slots;
    this.nowNanos = nowNanos;
  }

  /** Every message in flight (waiting behind a pause included), by arrival time, then id. */
  List<InFlight> list() {
    List<InFlight> out = new ArrayList<>();
    queue.forEach((time, seq, e) -> {
      if (e instanceof KernelEvent.Deliver d) out.add(inFlight(d, time));
    });
    long now = nowNanos.getAsLong();
    for (NodeSlot s : slots) {
      for (KernelEvent e : s.deferred) if (e instanceof KernelEvent.Deliver d) out.add(inFlight(d, now));
    }
    out.sort(Comparator.comparingLong(InFlight::arrivalNanos).thenComparingLong(InFlight::id));
    return out;
  }

  private static InFlight inFlight(KernelEvent.Deliver d, long time) {
    return new InFlight(d.id(), d.from().name(), d.to().id.name(), d.message().getClass().getSimpleName(), d.words(), time);
  }

  /** Marks message {@code id} lost if it is in flight; returns its words, or null when it is not. */
  String lose(long id) {
    String words = null;
    for (InFlight m : list()) if (m.id() == id) words = m.words();
    if (words != null) doomed.add(id);
    return words;
  }

  /** Queues a copy of message {@code id} right behind it; returns its words, or null when not in flight. */
  String duplicate(long id) {
    KernelEvent.Deliver[] found = new KernelEvent.Deliver[1];
    long[] at = {nowNanos.getAsLong()};
    queue.forEach((time, seq, e) -> {
      if (e instanceof KernelEvent.Deliver d && d.id() == id && found[0] == null) {
        found[0] = d;
        at[0] = time;
      }
    });
    if (found[0] == null) found[0] = deferred(id);
    if (found[0] == null) return null;
    queue.add(at[0], found[0]);
    return found[0].words();
  }

  private KernelEvent.Deliver deferred(long id) {
    for (NodeSlot s : slots) {
      for (KernelEvent e : s.deferred) if (e instanceof KernelEvent.Deliver d && d.id() == id) return d;
    }
    return null;
  }

  boolean isDoomed(long id) {
    return !doomed.isEmpty() && doomed.contains(id);
  }
}
