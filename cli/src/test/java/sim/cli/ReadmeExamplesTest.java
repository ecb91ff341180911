package sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's tour stays true: each {@code $ ./sim …} example in its text blocks is run, and every line the
 * README shows (other than "…") appears in the output, in order. For {@code ./sim step}, the {@code sim> X}
 * lines are the commands typed.
 */
class ReadmeExamplesTest {
  @Test
  void theTourInTheReadmeReproduces() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    int tour = readme.indexOf("## A short tour");
    int block = readme.indexOf("```text", tour);
    String text = readme.substring(block + "```text".length(), readme.indexOf("```", block + 7));
    List<List<String>> examples = new ArrayList<>();
    for (String line : text.strip().split("\n")) {
      if (line.startsWith("$ ./sim ")) examples.add(new ArrayList<>());
      if (!examples.isEmpty()) examples.get(examples.size() - 1).add(line);
    }
    assertTrue(examples.size() >= 3, "the tour has its run, list and step examples");
    for (List<String> example : examples) check(example);
  }

  private static void check(List<String> example) {
    String[] args = example.get(0).substring("$ ./sim ".length()).strip().split("\\s+");
    StringBuilder stdin = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (String line : example.subList(1, example.size())) {
      if (line.startsWith("sim> ")) stdin.append(line.substring(5)).append('\n');
      else if (!line.isBlank() && !line.strip().equals("…")) expected.add(line.stripTrailing());
    }
    MainTest.Outcome o = MainTest.sim(stdin.toString(), args);
    assertEquals(0, o.exit(), example.get(0) + ": " + o.err());
    List<String> actual = o.out().replace("sim> ", "\n").lines().map(String::stripTrailing).toList();
    int at = 0;
    for (String want : expected) {
      int found = -1;
      for (int i = at; i < actual.size(); i++) {
        if (actual.get(i).equals(want)) {
          found = i;
          break;
        }
      }
      if (found < 0) fail(example.get(0) + ": the README shows\n  " + want + "\nbut the output has no such line after line " + at
          + " (update the README's example):\n" + o.out());
      at = found + 1;
    }
  }
}
