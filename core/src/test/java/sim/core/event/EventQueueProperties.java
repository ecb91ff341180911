package sim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class EventQueueProperties {
  record E(long time, long seq) {}

  /** Interleaved adds and polls come out exactly as a PriorityQueue ordered by (time, sequence) says. */
  @Property(tries = 200)
  void pollsInTimeThenInsertionOrder(@ForAll @Size(max = 300) List<@LongRange(min = -1, max = 50) Long> ops) {
    EventQueue<E> queue = new EventQueue<>(1, 1_000_000);
    PriorityQueue<E> model = new PriorityQueue<>(Comparator.comparingLong(E::time).thenComparingLong(E::seq));
    List<E> got = new ArrayList<>();
    List<E> want = new ArrayList<>();
    long seq = 0;
    for (long op : ops) {
      if (op < 0) {
        if (model.isEmpty()) continue;
        got.add(queue.poll());
        want.add(model.poll());
      } else {
        E e = new E(op, seq++);
        queue.add(op, e);
        model.add(e);
      }
    }
    while (!model.isEmpty()) {
      got.add(queue.poll());
      want.add(model.poll());
    }
    assertEquals(want, got);
    assertEquals(0, queue.size());
  }
}
