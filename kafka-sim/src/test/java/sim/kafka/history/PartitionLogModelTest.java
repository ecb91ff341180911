package sim.kafka.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import sim.core.lin.HistoryRecorder;
import sim.core.lin.Linearizability;
import sim.core.lin.Operation;

/** The partition log model on hand-made histories, and against the real order of a generated log. */
class PartitionLogModelTest {
  static final PartitionLogModel MODEL = new PartitionLogModel();

  @Test
  void sequentialProducesAndAReadAreLinearizable() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 0L, 10);
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "b"), 20), 1L, 30);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 0), 40), List.of("a", "b"), 50);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 1), 60), List.of("b"), 70);
    assertTrue(Linearizability.check(MODEL, h.history()).linearizable());
  }

  /** Retention moved the log start past the read's offset: OFFSET_OUT_OF_RANGE is a legal answer, and loses nothing. */
  @Test
  void aReadBelowTheLogStartMayFailOutOfRangeWithoutLosingWrites() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 0L, 10);
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "b"), 20), 1L, 30);
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "c"), 40), 2L, 50);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 0), 60), new LogOperation.OutOfRange(2), 70);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 2), 80), List.of("c"), 90);
    assertTrue(Linearizability.check(MODEL, h.history()).linearizable());
  }

  /** But not at or above the log start, and never with a log start past every write there was. */
  @Test
  void outOfRangeAtOrAboveTheLogStartOrPastTheLogIsNotLinearizable() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 0L, 10);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 1), 20), new LogOperation.OutOfRange(1), 30);
    assertFalse(Linearizability.check(MODEL, h.history()).linearizable(), "offset 1 is not below log start 1");
    HistoryRecorder<LogOperation, Object> past = new HistoryRecorder<>();
    past.ok(past.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 0L, 10);
    past.ok(past.invoke(1, new LogOperation.Read("t-0", 0), 20), new LogOperation.OutOfRange(5), 30);
    assertFalse(Linearizability.check(MODEL, past.history()).linearizable(), "a log start of 5 with one record written");
  }

  @Test
  void aProduceAcknowledgedBeforeAnotherStartsMustGetTheLowerOffset() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 1L, 10);
    h.ok(h.invoke(1, new LogOperation.Produce("t-0", "b"), 20), 0L, 30);
    var r = Linearizability.check(MODEL, h.history());
    assertFalse(r.linearizable(), "b started after a was acknowledged at 1, yet got offset 0");
    assertEquals("t-0", r.partition());
  }

  @Test
  void concurrentProducesMayTakeEitherOrder() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    int a = h.invoke(0, new LogOperation.Produce("t-0", "a"), 0);
    int b = h.invoke(1, new LogOperation.Produce("t-0", "b"), 5);
    h.ok(b, 0L, 20);
    h.ok(a, 1L, 25);
    assertTrue(Linearizability.check(MODEL, h.history()).linearizable());
  }

  @Test
  void aReadOfAValueAtTheWrongOffsetIsCaught() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 0L, 10);
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "b"), 20), 1L, 30);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 1), 40), List.of("a"), 50);
    assertFalse(Linearizability.check(MODEL, h.history()).linearizable());
  }

  @Test
  void aReadMayStopShortButNotSkip() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 0L, 10);
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "b"), 20), 1L, 30);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 0), 40), List.of("a"), 50);
    assertTrue(Linearizability.check(MODEL, h.history()).linearizable(), "stopping at a lagging high watermark is allowed");
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 0), 60), List.of("b"), 70);
    assertFalse(Linearizability.check(MODEL, h.history()).linearizable());
  }

  @Test
  void anUnknownProduceMayHaveTakenEffectOrNot() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.unknown(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0));
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "b"), 20), 1L, 30);
    h.ok(h.invoke(1, new LogOperation.Read("t-0", 0), 40), List.of("a", "b"), 50);
    assertTrue(Linearizability.check(MODEL, h.history()).linearizable(), "a took effect at 0");
    HistoryRecorder<LogOperation, Object> g = new HistoryRecorder<>();
    g.unknown(g.invoke(0, new LogOperation.Produce("t-0", "a"), 0));
    g.ok(g.invoke(0, new LogOperation.Produce("t-0", "b"), 20), 0L, 30);
    assertTrue(Linearizability.check(MODEL, g.history()).linearizable(), "a never took effect");
  }

  @Test
  void partitionsAreCheckedApart() {
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    h.ok(h.invoke(0, new LogOperation.Produce("t-0", "a"), 0), 0L, 10);
    h.ok(h.invoke(0, new LogOperation.Produce("t-1", "b"), 20), 0L, 30);
    assertTrue(Linearizability.check(MODEL, h.history()).linearizable(), "offset 0 in each partition");
  }

  /** A log built in real order, with overlapping produces answered with their true offsets, always passes. */
  @Property(tries = 200)
  void aTrueLogIsLinearizable(@ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 0, max = 1000) int seed) {
    java.util.Random r = new java.util.Random(seed);
    HistoryRecorder<LogOperation, Object> h = new HistoryRecorder<>();
    List<String> log = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < n; i++) {
      int id = h.invoke(r.nextInt(3), new LogOperation.Produce("t-0", "v" + i), t);
      t += 1 + r.nextInt(3);
      log.add("v" + i); // takes effect inside its window
      h.ok(id, (long) (log.size() - 1), t + r.nextInt(5));
      if (r.nextBoolean()) {
        int from = r.nextInt(log.size());
        int to = from + r.nextInt(log.size() - from + 1);
        h.ok(h.invoke(3, new LogOperation.Read("t-0", from), t), List.copyOf(log.subList(from, to)), t + 1);
      }
      t += r.nextInt(2);
    }
    assertTrue(Linearizability.check(MODEL, h.history()).linearizable());
  }
}
