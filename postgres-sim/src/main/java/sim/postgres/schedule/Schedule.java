package sim.postgres.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * A concurrency schedule: {@code setup: SQL} lines run first in autocommit, then {@code T1: SQL},
 * {@code T2: SQL} ... steps, one session per name, in file order. {@code #} starts a comment line.
 */
public record Schedule(List<String> setup, List<Step> steps, List<Integer> setupLines) {
  public record Step(int index, String session, String sql) {}

  public Schedule(List<String> setup, List<Step> steps) {
    this(setup, steps, List.of());
  }

  /** The file line of setup statement {@code i} (0-based), or 0 if unknown. */
  public int setupLine(int i) {
    return i < setupLines.size() ? setupLines.get(i) : 0;
  }

  /** Parses the text; errors name the line: "line 4: expected 'SESSION: SQL'". */
  public static Schedule parse(String text) {
    List<String> setup = new ArrayList<>();
    List<Integer> setupLines = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("--")) continue;
      int colon = line.indexOf(':');
      if (colon <= 0) throw new IllegalArgumentException("line " + (i + 1) + ": expected 'SESSION: SQL' or 'setup: SQL', got: " + line);
      String who = line.substring(0, colon).strip();
      String sql = line.substring(colon + 1).strip();
      if (!who.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("line " + (i + 1) + ": bad session name '" + who + "'");
      if (sql.isEmpty()) throw new IllegalArgumentException("line " + (i + 1) + ": no SQL after '" + who + ":'");
      if (who.equals("setup")) {
        setup.add(sql);
        setupLines.add(i + 1);
      }
      else steps.add(new Step(steps.size() + 1, who, sql));
    }
    return new Schedule(List.copyOf(setup), List.copyOf(steps), List.copyOf(setupLines));
  }
}
