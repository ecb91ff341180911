package sim.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NarrationTest {
  private long index;

  private TraceEvent event(long ms, String node, String kind, String detail) {
    return new TraceEvent(index++, ms * 1_000_000L, node, kind, detail);
  }

  private static List<String> narrate(List<TraceEvent> events, NarrationFilter filter, boolean verbose) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Narrator n = new Narrator(out, verbose, EventFormat.forNodes(List.of("redis", "client"), 100, !verbose), filter);
    events.forEach(n::onEvent);
    n.finish();
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** SET k0 0 → aof.write → fsync, n times. */
  private List<TraceEvent> writes(int n, long startMs) {
    List<TraceEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = startMs + 5L * i;
      out.add(event(t, "redis", "redis.call", "SET k" + i + " " + i));
      out.add(event(t, "redis", "redis.aof.write", (28 + i % 3) + "B to appendonly.aof.1.incr.aof"));
      out.add(event(t, "redis", "redis.aof.fsync", "appendfsync always: fsync before replying"));
    }
    return out;
  }

  @Test
  void aStretchThatRepeatsIsShownThreeTimesThenSummedUp() {
    List<String> lines = narrate(writes(100, 10), NarrationFilter.ALL, false);
    assertEquals(3 * 3 + 1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(9).contains("… 97 more call → aof.write → aof.fsync, same shape"), lines.get(9));
    assertTrue(lines.get(9).contains(String.format("%9s", "505ms")), "the summary carries the time of the last hidden event: " + lines.get(9));
  }

  @Test
  void somethingNewEndsTheFoldAndIsShownAfterItsSummary() {
    List<TraceEvent> events = new ArrayList<>(writes(10, 10));
    events.add(event(100, "redis", "crash", "volatile state lost"));
    events.add(event(101, "redis", "redis.aof.truncated", "aof-load-truncated: trimmed 12B"));
    events.addAll(writes(10, 200));
    List<String> lines = narrate(events, NarrationFilter.ALL, false);
    String text = String.join("\n", lines);
    int fold = text.indexOf("… 7 more call");
    int crash = text.indexOf("crash");
    assertTrue(fold > 0 && crash > fold, "the summary, then the crash: " + text);
    assertTrue(text.indexOf("aof.truncated") > crash, text);
    // After the break the known cycle folds again at once: its next occurrence is not shown three more times.
    long shownCalls = lines.stream().filter(l -> l.contains("redis.call")).count();
    assertTrue(shownCalls <= 4, "the cycle is not re-shown three times after the crash: " + text);
  }

  @Test
  void faultsAndLifecycleEventsAreNeverFolded() {
    List<TraceEvent> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(event(i * 10, "redis", "crash", "volatile state lost"));
      events.add(event(i * 10 + 5, "redis", "restart", "incarnation " + (i + 1)));
    }
    assertEquals(20, narrate(events, NarrationFilter.ALL, false).size());
  }

  @Test
  void verboseShowsEveryEventWholeAndPlumbingToo() {
    List<TraceEvent> events = new ArrayList<>(writes(20, 10));
    events.add(event(500, "client", "deliver", "redis->client Reply[+OK]"));
    events.add(event(501, "client", "note", "v='" + "y".repeat(300) + "'"));
    List<String> verbose = narrate(events, NarrationFilter.ALL, true);
    assertEquals(62, verbose.size());
    assertTrue(verbose.get(61).contains("y".repeat(300)), "verbose keeps long values whole");
    List<String> normal = narrate(events, NarrationFilter.ALL, false);
    assertFalse(normal.stream().anyMatch(l -> l.contains("deliver")), "plumbing is left out without --verbose");
    assertTrue(normal.get(normal.size() - 1).contains("'yyyyyyyyyyyyyyyy…' (300 chars)"), normal.get(normal.size() - 1));
  }

  @Test
  void filtersSelectKindsNodesAndTime() {
    List<TraceEvent> events = new ArrayList<>(writes(3, 10));
    events.add(event(30, "client", "client.ack", "k2"));
    List<String> only = narrate(events, new NarrationFilter(List.of("redis.aof"), Set.of(), 0, Long.MAX_VALUE), false);
    assertEquals(6, only.size(), String.join("\n", only));
    assertTrue(only.stream().allMatch(l -> l.contains("redis.aof.")), String.join("\n", only));
    List<String> node = narrate(events, new NarrationFilter(List.of(), Set.of("client"), 0, Long.MAX_VALUE), false);
    assertEquals(1, node.size());
    List<String> window = narrate(events, new NarrationFilter(List.of(), Set.of(), 15_000_000L, 20_000_000L), false);
    assertEquals(6, window.size(), "events at 15ms and 20ms: " + window);
    assertTrue(NarrationFilter.kindMatches("kafka.leader.append", "kafka.leader"));
    assertFalse(NarrationFilter.kindMatches("kafka.leaderless", "kafka.leader"), "a prefix matches whole parts only");
  }

  @Test
  void theNodeColumnIsAsWideAsTheLongestNodeName() {
    EventFormat f = EventFormat.forNodes(List.of("redis-everysec", "client"), 0, true);
    String a = f.format(new TraceEvent(0, 0, "redis-everysec", "note", "x"));
    String b = f.format(new TraceEvent(1, 0, "client", "note", "x"));
    assertEquals(a.indexOf("note"), b.indexOf("note"));
    assertEquals(EventFormat.TIME_WIDTH + "redis-everysec".length() + 1, a.indexOf("note"));
  }

  @Test
  void longDetailsWrapUnderThemselvesAndProseWrapsToTheWidth() {
    EventFormat f = EventFormat.forNodes(List.of("pg"), 80, true);
    String line = f.format(new TraceEvent(0, 0, "pg", "pg.exec", "c: " + "word ".repeat(30)));
    for (String l : line.split("\n")) assertTrue(l.length() <= 80, "'" + l + "' fits 80 columns");
    String[] parts = line.split("\n");
    assertTrue(parts.length > 1 && parts[1].startsWith(" ".repeat(f.detailColumn())), line);
    for (String l : Text.wrap("a ".repeat(200), 40, "  ")) assertTrue(l.length() <= 40, l);
    assertEquals(List.of("  ok  one", "     two"), Text.wrap("  ok  one two", 9, "     "));
  }

  @Test
  void shapesMaskNumbersAndValues() {
    assertEquals(Text.shape("SET k12 12"), Text.shape("SET k7 7"));
    assertEquals(Text.shape("0/000001E6 Heap INSERT xid 3"), Text.shape("0/000003C4 Heap INSERT xid 40"));
    assertEquals(Text.shape("values (1, 'abc')"), Text.shape("values (22, 'something else')"));
    assertFalse(Text.shape("SET k1 1").equals(Text.shape("GET k1")));
    assertEquals(List.of("kafka.leader.append"), Text.closeNames("kafka.leader.apend", List.of("kafka.leader.append", "zk.zab.ack"), 3));
  }

  @Test
  void aFoldOfOneEventSaysEventAndShapeInTheSingular() {
    List<String> kinds = List.of("fsync.wait", "fsync.done");
    assertEquals("… 1 more event of fsync.wait → fsync.done, same shape (--verbose shows them)",
        Narrator.foldSummary(new Repetitions.Fold(0, 1, false, kinds, 0)));
    assertEquals("… 1,464 more events of fsync.wait → fsync.done, same shapes (--verbose shows them)",
        Narrator.foldSummary(new Repetitions.Fold(0, 1_464, false, kinds, 0)));
  }
}
