package sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden transcripts: what {@code ./sim run S} prints, one scenario per system, compared line by line with
 * {@code src/test/resources/golden/S.txt}. They are the learner's view, reviewed by eye once; when a model's
 * narration changes on purpose, regenerate them all with {@code cli/regen-golden} (or
 * {@code mvn -pl cli -am test -Dtest=GoldenTranscriptTest -Dsim.regen=true}) and review the diff.
 */
class GoldenTranscriptTest {
  private static final Path DIR = Path.of("src/test/resources/golden");
  static final String REGEN = "cli/regen-golden";

  @ParameterizedTest
  @ValueSource(strings = {"example.register", "kafka.write-path", "pg.isolation-levels", "redis.write-path", "zk.write-path", "es.write-path"})
  void runTranscriptMatchesTheGoldenFile(String scenario) throws IOException {
    MainTest.Outcome o = MainTest.sim("", "run", scenario, "--width", "100");
    Path golden = DIR.resolve(scenario + ".txt");
    if (Boolean.getBoolean("sim.regen")) {
      Files.createDirectories(DIR);
      Files.writeString(golden, o.out(), StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(golden)) fail("no golden transcript " + golden.toAbsolutePath() + "; create it with " + REGEN);
    List<String> want = Files.readAllLines(golden, StandardCharsets.UTF_8);
    List<String> got = o.out().lines().toList();
    for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
      if (!want.get(i).equals(got.get(i))) {
        fail(scenario + ": line " + (i + 1) + " differs from " + golden + "\n  want: " + want.get(i) + "\n  got:  " + got.get(i)
            + "\nIf the change is intended, run " + REGEN + " and review the diff.");
      }
    }
    assertEquals(want.size(), got.size(), scenario + ": the transcript has " + got.size() + " lines, the golden file "
        + want.size() + "; if intended, run " + REGEN);
    assertEquals(0, o.exit(), o.err());
  }
}
