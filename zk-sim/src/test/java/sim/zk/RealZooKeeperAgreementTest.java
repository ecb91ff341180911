package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.zk.script.ScriptLine;
import sim.zk.script.ScriptParser;
import sim.zk.script.ScriptRunner;
import sim.zk.script.SimBackend;
import sim.zk.script.TreeBackend;

/**
 * Every script in zk-sim/scripts runs against an embedded real ZooKeeper 3.9 and against the model; the
 * JSON lines (zxids, session ids and times normalized) must be identical.
 */
class RealZooKeeperAgreementTest {
  static Stream<Path> scripts() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("scripts"))) {
      return s.filter(p -> p.toString().endsWith(".zk")).sorted().toList().stream();
    }
  }

  @BeforeAll
  static void quiet() {
    Oracles.quietZooKeeperLogging();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void dataTreeAgreesWithRealZooKeeper(Path script) throws Exception {
    List<ScriptLine> lines = ScriptParser.parse(Files.readString(script));
    List<String> real = Oracles.runOnRealZooKeeper(lines);
    List<String> tree = ScriptRunner.run(lines, new TreeBackend(), true);
    assertEquals(String.join("\n", real), String.join("\n", tree), "data tree output differs from real ZooKeeper for " + script);
    List<String> ensemble = ScriptRunner.run(lines, new SimBackend(1, 3), true);
    assertEquals(String.join("\n", real), String.join("\n", ensemble), "3-server ensemble output differs from real ZooKeeper for " + script);
  }
}
