package sim.redis.aof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the command stream of one AOF file as loadSingleAppendOnlyFile does (aof.c, 7.0): each command is
 * {@code *argc} then argc times {@code $len} and the bytes plus CRLF; lines starting with '#' are
 * annotations. It only parses (decide, then apply): the caller executes the commands.
 *
 * <p>A short read at the end is a truncated tail: {@link Parsed#truncated} is set and {@link
 * Parsed#validUpTo} is the end of the last complete command (before an unfinished MULTI). Anything else
 * malformed is a format error at an offset.
 */
public final class AofCommandReader {
  public record Parsed(List<List<String>> commands, long validUpTo, boolean truncated, String formatError) {}

  private AofCommandReader() {}

  public static Parsed parse(byte[] b, int offset) {
    List<List<String>> commands = new ArrayList<>();
    int p = offset;
    long validUpTo = offset;
    int commandsBeforeMulti = -1;
    long validBeforeMulti = offset;
    while (p < b.length) {
      int lineEnd = indexOf(b, (byte) '\n', p);
      if (lineEnd < 0) return truncated(commands, validUpTo, commandsBeforeMulti, validBeforeMulti);
      if (b[p] == '#') {
        p = lineEnd + 1;
        validUpTo = p;
        continue;
      }
      if (b[p] != '*') return new Parsed(commands, validUpTo, false, "expected '*' at offset " + p);
      Long argc = number(b, p + 1, lineEnd);
      if (argc == null || argc < 1) return new Parsed(commands, validUpTo, false, "bad argument count at offset " + p);
      p = lineEnd + 1;
      List<String> argv = new ArrayList<>();
      for (long i = 0; i < argc; i++) {
        if (p >= b.length) return truncated(commands, validUpTo, commandsBeforeMulti, validBeforeMulti);
        int le = indexOf(b, (byte) '\n', p);
        if (le < 0) return truncated(commands, validUpTo, commandsBeforeMulti, validBeforeMulti);
        if (b[p] != '$') return new Parsed(commands, validUpTo, false, "expected '$' at offset " + p);
        Long len = number(b, p + 1, le);
        if (len == null || len < 0) return new Parsed(commands, validUpTo, false, "bad bulk length at offset " + p);
        p = le + 1;
        if (b.length - p < len + 2) return truncated(commands, validUpTo, commandsBeforeMulti, validBeforeMulti);
        argv.add(new String(b, p, (int) (long) len, StandardCharsets.ISO_8859_1));
        p += (int) (long) len + 2;
      }
      String name = argv.get(0);
      if (name.equalsIgnoreCase("multi")) {
        commandsBeforeMulti = commands.size();
        validBeforeMulti = validUpTo;
      } else if (name.equalsIgnoreCase("exec")) {
        commandsBeforeMulti = -1;
      }
      commands.add(argv);
      validUpTo = p;
    }
    if (commandsBeforeMulti >= 0) return truncated(commands, validUpTo, commandsBeforeMulti, validBeforeMulti);
    return new Parsed(commands, validUpTo, false, null);
  }

  private static Parsed truncated(List<List<String>> commands, long validUpTo, int beforeMulti, long validBeforeMulti) {
    if (beforeMulti >= 0) { // revert the incomplete MULTI/EXEC transaction
      return new Parsed(new ArrayList<>(commands.subList(0, beforeMulti)), validBeforeMulti, true, null);
    }
    return new Parsed(commands, validUpTo, true, null);
  }

  private static int indexOf(byte[] b, byte x, int from) {
    for (int i = from; i < b.length; i++) if (b[i] == x) return i;
    return -1;
  }

  /** The digits between {@code from} and the line end (a trailing CR dropped), as strtol would read them. */
  private static Long number(byte[] b, int from, int lineEnd) {
    int end = lineEnd > from && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    if (end <= from || end - from > 19) return null;
    long v = 0;
    boolean neg = b[from] == '-';
    for (int i = neg ? from + 1 : from; i < end; i++) {
      if (b[i] < '0' || b[i] > '9') return null;
      v = v * 10 + (b[i] - '0');
    }
    return neg ? -v : v;
  }
}
