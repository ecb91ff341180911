package sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;

/**
 * The determinism contract across processes: every scenario's trace hash is the same in two JVMs. Running a seed
 * twice in one JVM ({@code check-determinism}) cannot see an order that changes per process — {@code Set.copyOf}
 * and {@code Map.of} iterate in an order salted at JVM start, identity hash codes differ — so two child JVMs each
 * print every scenario's hash for seed 3 and seed 1 with a swarm, and the lists must match line by line.
 */
class CrossJvmDeterminismTest {
  /** The child: one line per scenario and seed, {@code NAME SEED[+swarm] HASH}. */
  public static void main(String[] args) {
    for (Scenario s : ScenarioRegistry.load().all()) {
      for (RunOptions o : List.of(RunOptions.seed(3), RunOptions.seed(1).withSwarm(true))) {
        RunResult r = sim.core.scenario.ScenarioRunner.run(s, o);
        System.out.println(s.name() + " " + o.seed() + (o.swarm() ? "+swarm" : "") + " " + r.traceHash());
      }
    }
  }

  @Test
  void everyScenarioHasTheSameTraceInTwoJvms() throws Exception {
    Process a = child();
    Process b = child();
    List<String> first = lines(a);
    List<String> second = lines(b);
    assertTrue(first.size() > 100, "the child ran the scenarios: " + first.size() + " lines");
    for (int i = 0; i < first.size(); i++) {
      assertEquals(first.get(i), second.get(i), "line " + (i + 1) + " differs between two JVMs (replay it: ./sim run "
          + first.get(i).split(" ")[0] + " --seed " + first.get(i).split(" ")[1].replace("+swarm", " --swarm") + " in two shells)");
    }
    assertEquals(first.size(), second.size());
  }

  private static Process child() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        CrossJvmDeterminismTest.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static List<String> lines(Process p) throws Exception {
    List<String> out = new ArrayList<>(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "child JVM finished");
    assertEquals(0, p.exitValue(), "child JVM exit code; output so far: " + out.size() + " lines");
    return out;
  }
}
