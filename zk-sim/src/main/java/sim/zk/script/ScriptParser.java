package sim.zk.script;

import java.util.ArrayList;
import java.util.List;
import sim.zk.tree.Op;

/**
 * Parses client scripts, one operation a line, in the spirit of {@code zkCli.sh}:
 *
 * <pre>
 * # comment
 * c1: create /app "v1"
 * c1: create -s -e /lock/n- ""
 * c2: get -w /app
 * c1: set /app "v2" 0
 * c2: ls -w /lock
 * c2: stat -w /missing
 * c1: delete /app 1
 * c1: multi create /a "x" ; set /app "y" -1 ; delete /b ; check /c 0
 * c1: sync /app
 * c1: close
 * </pre>
 *
 * Data is a double-quoted string ({@code \"}, {@code \\}, {@code \n} escapes) or a bare word.
 */
public final class ScriptParser {
  private static final String COMMANDS = "create, delete, set, get, stat, ls, sync, multi, close";

  private ScriptParser() {}

  public static List<ScriptLine> parse(String text) {
    List<ScriptLine> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      out.add(parseLine(i + 1, line));
    }
    return out;
  }

  static ScriptLine parseLine(int lineNo, String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) throw new ScriptException(lineNo, "expected '<client>: <command> ...', got '" + line + "'");
    String client = line.substring(0, colon).strip();
    if (!client.matches("[A-Za-z][A-Za-z0-9_-]*")) {
      throw new ScriptException(lineNo, "bad client name '" + client + "' (letters, digits, '-' and '_', starting with a letter)");
    }
    List<String> tokens = tokenize(lineNo, line.substring(colon + 1));
    if (tokens.isEmpty()) throw new ScriptException(lineNo, "missing command after '" + client + ":' (one of " + COMMANDS + ")");
    if (tokens.get(0).equals("multi")) return new ScriptLine(lineNo, client, parseMulti(lineNo, tokens.subList(1, tokens.size())));
    return new ScriptLine(lineNo, client, parseOp(lineNo, tokens, false));
  }

  private static Op parseMulti(int lineNo, List<String> tokens) {
    List<Op> ops = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String t : tokens) {
      if (t.equals(";")) {
        if (current.isEmpty()) throw new ScriptException(lineNo, "empty operation in multi");
        ops.add(parseOp(lineNo, current, true));
        current = new ArrayList<>();
      } else {
        current.add(t);
      }
    }
    if (!current.isEmpty()) ops.add(parseOp(lineNo, current, true));
    if (ops.isEmpty()) throw new ScriptException(lineNo, "multi needs at least one operation (create, delete, set, check separated by ';')");
    return new Op.Multi(ops);
  }

  private static Op parseOp(int lineNo, List<String> tokens, boolean inMulti) {
    String cmd = tokens.get(0);
    Args a = new Args(lineNo, cmd, tokens.subList(1, tokens.size()));
    Op op = switch (cmd) {
      case "create" -> {
        boolean seq = a.flag("-s");
        boolean eph = a.flag("-e");
        yield new Op.Create(a.path(), a.optionalData(), eph, seq);
      }
      case "delete" -> new Op.Delete(a.path(), a.optionalVersion());
      case "set" -> new Op.SetData(a.path(), a.data(), a.optionalVersion());
      case "check" -> new Op.Check(a.path(), a.version());
      case "get" -> {
        boolean w = a.flag("-w");
        yield new Op.GetData(a.path(), w);
      }
      case "stat", "exists" -> {
        boolean w = a.flag("-w");
        yield new Op.Exists(a.path(), w);
      }
      case "ls" -> {
        boolean w = a.flag("-w");
        yield new Op.GetChildren(a.path(), w);
      }
      case "sync" -> new Op.Sync(a.path());
      case "close" -> new Op.CloseSession();
      default -> throw new ScriptException(lineNo, "unknown command '" + cmd + "' (one of " + (inMulti ? "create, delete, set, check" : COMMANDS) + ")");
    };
    a.end();
    if (inMulti && !(op instanceof Op.Create || op instanceof Op.Delete || op instanceof Op.SetData || op instanceof Op.Check)) {
      throw new ScriptException(lineNo, "'" + cmd + "' cannot be part of a multi (only create, delete, set, check)");
    }
    if (!inMulti && op instanceof Op.Check) throw new ScriptException(lineNo, "'check' is only allowed inside a multi");
    return op;
  }

  /** The arguments of one command, consumed left to right. */
  private static final class Args {
    private final int lineNo;
    private final String cmd;
    private final List<String> rest;
    private int at;

    Args(int lineNo, String cmd, List<String> rest) {
      this.lineNo = lineNo;
      this.cmd = cmd;
      this.rest = rest;
    }

    boolean flag(String f) {
      if (at < rest.size() && rest.get(at).equals(f)) {
        at++;
        return true;
      }
      return false;
    }

    String path() {
      if (at < rest.size() && rest.get(at).startsWith("-") && rest.get(at).length() == 2) {
        throw new ScriptException(lineNo, "unknown option '" + rest.get(at) + "' for " + cmd);
      }
      if (at >= rest.size()) throw new ScriptException(lineNo, cmd + " needs a path");
      String p = rest.get(at++);
      if (!p.startsWith("/")) throw new ScriptException(lineNo, "path '" + p + "' must start with '/'");
      return p;
    }

    String data() {
      if (at >= rest.size()) throw new ScriptException(lineNo, cmd + " needs data (a quoted string)");
      return unquote(rest.get(at++));
    }

    String optionalData() {
      return at < rest.size() ? data() : "";
    }

    int version() {
      if (at >= rest.size()) throw new ScriptException(lineNo, cmd + " needs a version");
      String v = rest.get(at++);
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new ScriptException(lineNo, "version '" + v + "' is not an integer");
      }
    }

    int optionalVersion() {
      return at < rest.size() ? version() : -1;
    }

    void end() {
      if (at < rest.size()) throw new ScriptException(lineNo, "unexpected '" + rest.get(at) + "' after " + cmd + " arguments");
    }

    private String unquote(String token) {
      return token.startsWith("\u0000") ? token.substring(1) : token;
    }
  }

  /** Splits on spaces; a double-quoted string is one token (marked with a leading NUL); ';' stands alone. */
  static List<String> tokenize(int lineNo, String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == ';') {
        out.add(";");
        i++;
      } else if (c == '"') {
        StringBuilder b = new StringBuilder("\u0000");
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char d = s.charAt(i++);
          if (d == '"') {
            closed = true;
            break;
          }
          if (d == '\\') {
            if (i >= s.length()) throw new ScriptException(lineNo, "dangling '\\' at the end of a quoted string");
            char e = s.charAt(i++);
            b.append(switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case '"', '\\' -> e;
              default -> throw new ScriptException(lineNo, "unknown escape '\\" + e + "' in a quoted string");
            });
          } else {
            b.append(d);
          }
        }
        if (!closed) throw new ScriptException(lineNo, "unterminated quoted string");
        out.add(b.toString());
      } else {
        int start = i;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ';' && s.charAt(i) != '"') i++;
        out.add(s.substring(start, i));
      }
    }
    return out;
  }
}
