package sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sim.cli.MainTest.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sim.cli.MainTest.Outcome;
import sim.core.check.CheckResult;
import sim.core.scenario.RunResult;

/** What issue "what a learner reads" promises, one test each, through {@link Main#execute}. */
class LearnerPromisesTest {
  // ---- narration ----

  @Test
  void aRepetitiveWritePathFitsAScreenAndVerboseShowsEverything() {
    Outcome o = sim("", "run", "redis.write-path", "--width", "100");
    assertEquals(0, o.exit(), o.err());
    List<String> lines = o.out().lines().toList();
    assertTrue(lines.size() < 80, "folded: " + lines.size() + " lines");
    assertTrue(o.out().contains("more redis.call → redis.aof.write → redis.aof.fsync"), o.out());
    Matcher count = Pattern.compile("seed 1: (\\d+) events").matcher(o.out());
    assertTrue(count.find(), "the summary line counts the events");
    long events = Long.parseLong(count.group(1));
    Outcome verbose = sim("", "run", "redis.write-path", "--verbose");
    assertTrue(verbose.out().lines().count() >= events, "verbose narrates every one of the " + events + " events");
    assertFalse(verbose.out().contains("same shape"), "verbose folds nothing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pg.write-path", "kafka.write-path", "redis.durability-tradeoff"})
  void linesFitTheWidthAndTheNodeColumnFitsTheNames(String scenario) {
    Outcome o = sim("", "run", scenario, "--width", "100");
    assertEquals(0, o.exit(), o.err());
    int kindColumn = -1;
    for (String line : o.out().lines().toList()) {
      assertTrue(line.length() <= 100, "fits 100 columns: " + line);
      Matcher m = Pattern.compile("^\\[[ 0-9.a-z]{9}\\] (\\S+) +(\\S)").matcher(line);
      if (!m.find() || line.contains("] …")) continue;
      if (kindColumn < 0) kindColumn = m.start(2);
      assertEquals(kindColumn, m.start(2), "the kind column is aligned for every node: " + line);
    }
  }

  @Test
  void filtersNarrowTheNarrationAndRefuseUnknownNodes() {
    Outcome only = sim("", "run", "kafka.write-path", "--only", "kafka.leader,crash", "--width", "0");
    assertEquals(0, only.exit(), only.err());
    for (String line : events(only.out())) assertTrue(line.contains(" kafka.leader.") || line.contains(" crash "), line);
    Outcome node = sim("", "run", "kafka.write-path", "--node", "b2", "--from", "4s", "--until", "5s", "--width", "0");
    List<String> lines = events(node.out());
    assertFalse(lines.isEmpty(), node.out());
    for (String line : lines) {
      assertTrue(line.substring(12).startsWith("b2 "), line);
      assertTrue(line.startsWith("[   4.") || line.startsWith("[       4s]") || line.startsWith("[       5s]"), line);
    }
    Outcome typo = sim("", "run", "kafka.write-path", "--node", "b7");
    assertEquals(2, typo.exit());
    assertTrue(typo.err().contains("no node 'b7'") && typo.err().contains("did you mean b1"), typo.err());
    assertEquals("", typo.out(), "refused before the header");
    Outcome kindTypo = sim("", "run", "example.register", "--only", "example.apend", "--quiet");
    assertTrue(kindTypo.err().contains("--only example.apend matched no event") && kindTypo.err().contains("example.append"), kindTypo.err());
  }

  private static List<String> events(String out) {
    return out.lines().filter(l -> l.startsWith("[") && !l.contains("] …")).toList();
  }

  // ---- lessons in the verdict ----

  @Test
  void aLessonThatDidNotHappenIsSaidSoInTheVerdict() {
    CheckResult safety = CheckResult.ok("acked-writes-survive", "nothing lost");
    CheckResult lesson = new CheckResult("pg.torn-page-repaired", CheckResult.Kind.LESSON, CheckResult.Status.NOT_DEMONSTRATED,
        "no torn page in this run", null);
    RunResult r = new RunResult("pg.write-path", 1, "0123456789abcdef", 10, 1, List.of(safety, lesson), null, "./sim run pg.write-path", null, null, 20);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = RunCommand.report(new PrintStream(bytes, true, StandardCharsets.UTF_8), r, 100);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, "not demonstrated is not a failure");
    assertTrue(out.contains("lesson pg.torn-page-repaired did not happen in this run"), out);
    assertTrue(out.contains("result: OK; 1 lesson not demonstrated"), out);
    CheckResult failedLesson = new CheckResult("pg.torn-page-repaired", CheckResult.Kind.LESSON, CheckResult.Status.FAILED,
        "no torn page in this run", null);
    bytes.reset();
    RunResult scripted = new RunResult("pg.write-path", 1, "0123456789abcdef", 10, 1, List.of(failedLesson), null, "./sim run pg.write-path", null, null, 20);
    assertEquals(1, RunCommand.report(new PrintStream(bytes, true, StandardCharsets.UTF_8), scripted, 0));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("did not happen in this run although it ran with the scenario's own faults"));
  }

  // ---- fault plans ----

  @Test
  void faultPlansThatCannotActAreRefusedBeforeTheHeader() {
    for (String[] c : List.of(
        new String[] {"at 500s crash b1", "column 1: 'at 500s crash b1' comes after the fault phase ends at 35s"},
        new String[] {"at 5s crash b2; at 9s restart b1", "column 17: 'at 9s restart b1': b1 is not down at 9s"},
        new String[] {"at 9s resume b1", "b1 is not paused at 9s (no pause of b1 before it)"},
        new String[] {"at 9s crash n9", "names node n9, which this scenario does not have"})) {
      Outcome o = sim("", "run", "kafka.failover-leader-crash", "--faults", c[0]);
      assertEquals(2, o.exit(), c[0]);
      assertTrue(o.err().contains(c[1]), o.err());
      assertEquals("", o.out(), "nothing printed before the error: " + o.out());
    }
  }

  @Test
  void everyScenariosOwnFaultPlanCanAct() {
    for (sim.core.scenario.Scenario s : sim.core.scenario.ScenarioRegistry.load().all()) {
      RunPlan plan = RunPlan.of(s, sim.core.scenario.RunOptions.seed(1)); // throws a usage error naming the item otherwise
      assertTrue(plan.notReached().isEmpty(), s.name() + ": every item of its own plan acts within its fault phase");
    }
  }

  @Test
  void theHeaderShowsThePlanInForce() {
    Outcome own = sim("", "run", "kafka.failover-leader-crash", "--quiet", "--narrate");
    assertEquals(2, own.exit(), "--quiet with --narrate is a usage error");
    Outcome scenario = sim("", "run", "example.register", "--for", "5s", "--only", "none", "--width", "0");
    assertTrue(scenario.out().contains("faults: at 3s crash primary; at 3.5s restart primary (the scenario's plan, cut at 5s by --for: "
        + "at 6s crash backup; at 6.5s restart backup not reached)"), scenario.out());
    Outcome user = sim("", "run", "example.register", "--faults", "at 2s crash backup; at 2.5s restart backup", "--swarm", "--only", "none", "--width", "0");
    assertTrue(user.out().contains("faults: at 2s crash backup; at 2.5s restart backup (--faults, instead of the scenario's: at 3s crash primary"), user.out());
    assertTrue(user.out().contains("+ random faults drawn from the seed until 8s (--swarm)"), user.out());
  }

  // ---- structured trace ----

  @ParameterizedTest
  @ValueSource(strings = {"example.register", "kafka.failover-leader-crash", "pg.crash-redo", "redis.crash-appendfsync-everysec", "zk.leader-crash"})
  void theTraceFileMatchesTheSchemaAndTheSummaryCountsItsEvents(String scenario, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.jsonl");
    Outcome o = sim("", "run", scenario, "--quiet", "--trace", file.toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    Schema schema;
    try (InputStream in = getClass().getResourceAsStream("/trace-schema.json")) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    }
    List<String> lines = Files.readAllLines(file);
    for (String line : lines) {
      var errors = schema.validate(line, InputFormat.JSON);
      assertTrue(errors.isEmpty(), line + " -> " + errors);
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode header = json.readTree(lines.get(0));
    assertEquals(scenario, header.get("scenario").asText());
    assertTrue(header.get("module").asText().endsWith("-sim") || header.get("module").asText().equals("core"), header.toString());
    JsonNode footer = json.readTree(lines.get(lines.size() - 1));
    long eventLines = lines.size() - 2;
    assertEquals(eventLines, footer.get("events").asLong());
    Matcher m = Pattern.compile(scenario.replace(".", "\\.") + " seed 1: (\\d+) events, .* trace ([0-9a-f]{16})").matcher(o.out());
    assertTrue(m.find(), o.out());
    assertEquals(eventLines, Long.parseLong(m.group(1)), "the run summary counts the file's event lines");
    assertEquals(footer.get("trace_hash").asText(), m.group(2));
  }

  // ---- the stepper ----

  @Test
  void aMisspeltBreakpointSuggestsTheRealNameAndTheSessionExitsNonZero() {
    Outcome o = sim("break kafka.leader.apend\nquit\n", "step", "kafka.write-path");
    assertTrue(o.out().contains("did you mean kafka.leader.append"), o.out());
    assertEquals(2, o.exit(), "a piped session that hit an error exits non-zero");
    Outcome ok = sim("break kafka.leader.append\ncontinue\nquit\n", "step", "kafka.write-path");
    assertEquals(0, ok.exit(), ok.out());
    assertTrue(ok.out().contains("breakpoint kafka.leader.append after"), ok.out());
  }

  @Test
  void helpListsTheScenariosOwnPointsAndNodes() {
    Outcome zk = sim("help\nquit\n", "step", "zk.write-path");
    assertTrue(zk.out().contains("points of zk.write-path: ") && zk.out().contains("zk.zab.proposal"), zk.out());
    assertTrue(zk.out().contains("nodes: ") && zk.out().contains("zk1"), zk.out());
    assertFalse(zk.out().contains("kafka."), "no Kafka example in the ZooKeeper stepper: " + zk.out());
  }

  @Test
  void theDurabilityDoorAndConnectionResetsAreBreakpoints() {
    Outcome o = sim("break fsync.wait\ncontinue\nbreak fsync.done\ndelete fsync.wait\ncontinue\ndelete\nbreak conn.reset\ncontinue\nquit\n",
        "step", "example.register");
    assertEquals(0, o.exit(), o.out());
    assertTrue(o.out().contains("breakpoint fsync.wait after"), o.out());
    assertTrue(o.out().contains("breakpoint fsync.done after"), o.out());
    assertTrue(o.out().contains("breakpoint conn.reset after"), o.out());
  }

  @Test
  void listLongShowsNodesAndPointsForEverySystem() {
    Outcome o = sim("", "list", "--long", "write-path");
    assertEquals(0, o.exit(), o.err());
    for (String system : List.of("kafka", "pg", "redis", "zk")) {
      int at = o.out().indexOf(system + ".write-path ");
      assertTrue(at >= 0, system + ": " + o.out());
      String block = o.out().substring(at);
      int nodes = block.indexOf("    nodes: ");
      int points = block.indexOf("    points: " + system + ".");
      assertTrue(nodes > 0 && points > nodes, system + " shows nodes and its own points: " + block);
    }
  }

  // ---- commands ----

  @Test
  void everySubcommandHasHelpAndTopLevelHelpNamesThemAll() {
    for (String cmd : List.of("list", "run", "step", "explore", "check-determinism")) {
      Outcome o = sim("", cmd, "--help");
      assertEquals(0, o.exit(), cmd + ": " + o.err());
      assertTrue(o.out().startsWith("Usage: sim " + cmd), o.out());
    }
    Outcome help = sim("", "help");
    assertEquals(0, help.exit());
    for (String name : List.of("list", "run", "step", "explore", "check-determinism", "plugins", "bench", "pg", "zk", "kafka", "redis-server")) {
      assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(name) + "\\b").matcher(help.out()).find(), name + " in: " + help.out());
    }
  }

  @Test
  void aMisspeltCommandSuggestsTheClosestOne() {
    Outcome o = sim("", "lst");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("unknown command 'lst'; did you mean list?"), o.err());
  }
}
