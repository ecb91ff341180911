package sim.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.cassandra.script.ScriptParser;
import sim.cassandra.script.ScriptRunner;
import sim.cassandra.script.SimBackend;

/** Each script on the simulated single node must print exactly what the real Cassandra 5.0 printed (the golden file). */
class GoldenScriptsTest {
  static Stream<Path> scripts() {
    return Scripts.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void simulatorPrintsWhatRealCassandraPrinted(Path script) {
    List<String> sim = ScriptRunner.run(ScriptParser.parse(Scripts.read(script)), new SimBackend(1, 1, null));
    List<String> golden = List.of(Scripts.read(Scripts.golden(script)).split("\n"));
    StringBuilder diff = new StringBuilder();
    for (int i = 0; i < Math.max(golden.size(), sim.size()); i++) {
      String g = i < golden.size() ? golden.get(i) : "(none)";
      String s = i < sim.size() ? sim.get(i) : "(none)";
      if (!g.equals(s)) diff.append("\n  real: ").append(g).append("\n  sim:  ").append(s);
    }
    assertEquals("", diff.toString(), script + " differs from the real Cassandra's output");
  }
}
