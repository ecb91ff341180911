package sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sim.cli.MainTest.Outcome;

/** {@code ./sim explore}: parallel, sharded, every scenario, shrunk replays that replay. */
class ExploreCommandTest {
  private static Outcome sim(String... args) {
    return MainTest.sim("", args);
  }

  /** The command line inside a printed {@code replay: ./sim run …} line, split as a shell would. */
  static String[] replayArgs(String out) {
    Matcher m = Pattern.compile("(?m)^replay: \\./sim (run .*)$").matcher(out);
    assertTrue(m.find(), "a replay line: " + out);
    List<String> args = new ArrayList<>();
    Matcher w = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(m.group(1));
    while (w.find()) args.add(w.group(1) != null ? w.group(1) : w.group(2));
    return args.toArray(String[]::new);
  }

  @Test
  void theOutputIsTheSameWhateverTheNumberOfJobs() {
    Outcome one = sim("explore", "example.register-ack-before-fsync", "--seeds", "12", "--jobs", "1", "--no-progress");
    Outcome three = sim("explore", "example.register-ack-before-fsync", "--seeds", "12", "--jobs", "3");
    assertEquals(0, one.exit(), one.out());
    assertEquals(one.out(), three.out());
    assertTrue(three.err().contains("seeds/s"), "a progress bar with the rate: " + three.err());
  }

  @Test
  void aFailureIsTheLowestFailingSeedShrunkToAReplayWithoutTheSwarm() {
    Outcome one = sim("explore", "example.register", "--break", "example.ack-before-fsync", "--seeds", "10", "--no-progress");
    Outcome two = sim("explore", "example.register", "--break", "example.ack-before-fsync", "--seeds", "10", "--jobs", "2");
    assertEquals(1, one.exit(), one.out());
    assertEquals(one.out(), two.out(), "the lowest failing seed, whichever thread found a failure first");
    assertTrue(two.err().contains("first failure: seed") || two.err().contains("broke example.register"), two.err());
    String[] replay = replayArgs(one.out());
    assertFalse(List.of(replay).contains("--swarm"), String.join(" ", replay));
    assertTrue(List.of(replay).contains("--faults"), String.join(" ", replay));
    Outcome again = MainTest.sim("", append(replay, "--quiet"));
    assertEquals(1, again.exit(), "the shrunk command fails again: " + again.out());
    assertTrue(again.out().contains("FAIL     acked-writes-survive"), again.out());
  }

  @Test
  void shardsSplitTheSeedsWithNoOverlap() {
    Outcome all = sim("explore", "example.register", "--seeds", "6", "--no-progress");
    Outcome first = sim("explore", "example.register", "--seeds", "6", "--shard", "1/2", "--no-progress");
    Outcome second = sim("explore", "example.register", "--seeds", "6", "--shard", "2/2", "--no-progress");
    assertTrue(all.out().contains("6 seeds of example.register held"), all.out());
    assertTrue(first.out().contains("3 seeds of example.register held"), first.out());
    assertTrue(second.out().contains("3 seeds of example.register held"), second.out());
    long events = events(all.out());
    assertEquals(events, events(first.out()) + events(second.out()), "the two shards ran the six seeds between them");
  }

  private static long events(String out) {
    Matcher m = Pattern.compile("held \\((\\d+) events\\)").matcher(out);
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }

  @Test
  void allWithABreakExploresTheScenariosThatConsultIt() {
    Outcome o = sim("explore", "--all", "--break", "example.ack-before-backup", "--seeds", "3", "--jobs", "2", "--no-progress");
    assertEquals(1, o.exit(), o.out());
    assertTrue(o.out().contains("seed 1 broke example.register: acked-writes-on-backup"), o.out());
    assertTrue(o.out().contains("skipped") && o.out().contains("example.register-ack-before-fsync"), o.out());
    assertTrue(o.out().contains("1 of 1 scenarios broke"), o.out());
  }

  @Test
  void badExploreArgumentsAreUsageErrors() {
    assertEquals(2, sim("explore", "example.register", "--shard", "3/2").exit());
    assertEquals(2, sim("explore", "example.register", "--shard", "x").exit());
    assertEquals(2, sim("explore", "example.register", "--jobs", "-1").exit());
    assertEquals(2, sim("explore").exit());
    assertEquals(2, sim("explore", "--all", "example.register").exit());
    assertTrue(sim("explore", "example.register", "--shard", "3/2").err().contains("1 <= i <= n"));
  }

  private static String[] append(String[] args, String extra) {
    String[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = extra;
    return out;
  }
}
