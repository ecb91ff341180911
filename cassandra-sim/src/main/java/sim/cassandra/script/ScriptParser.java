package sim.cassandra.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CQL script: one statement per line, {@code ;} optional, {@code #} and {@code --} comment lines,
 * {@code CONSISTENCY LEVEL} and {@code SERIAL CONSISTENCY LEVEL} lines as in cqlsh. A malformed directive is
 * an error naming the line; a malformed statement is not (the server answers it with SYNTAX_ERROR).
 */
public final class ScriptParser {
  private ScriptParser() {}

  public static List<ScriptLine> parse(String text) {
    List<ScriptLine> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int no = i + 1;
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("--") || line.startsWith("//")) continue;
      while (line.endsWith(";")) line = line.substring(0, line.length() - 1).strip();
      if (line.isEmpty()) continue;
      String[] words = line.split("\\s+");
      String first = words[0].toUpperCase(Locale.ROOT);
      if (first.equals("CONSISTENCY")) {
        out.add(directive(no, ScriptLine.Kind.CONSISTENCY, words, 1, false));
      } else if (first.equals("SERIAL") && words.length > 1 && words[1].equalsIgnoreCase("CONSISTENCY")) {
        out.add(directive(no, ScriptLine.Kind.SERIAL_CONSISTENCY, words, 2, true));
      } else {
        out.add(new ScriptLine(no, ScriptLine.Kind.STATEMENT, line, null));
      }
    }
    return out;
  }

  private static ScriptLine directive(int no, ScriptLine.Kind kind, String[] words, int at, boolean serial) {
    String what = serial ? "SERIAL CONSISTENCY" : "CONSISTENCY";
    if (words.length != at + 1) throw new ScriptException(no, what + " takes one level, e.g. '" + what + (serial ? " SERIAL'" : " QUORUM'"));
    ConsistencyLevel level = ConsistencyLevel.parse(words[at]);
    if (level == null) throw new ScriptException(no, "unknown consistency level '" + words[at] + "'");
    if (serial && !level.isSerial()) throw new ScriptException(no, "SERIAL CONSISTENCY must be SERIAL or LOCAL_SERIAL, got " + level);
    return new ScriptLine(no, kind, String.join(" ", words), level);
  }
}
