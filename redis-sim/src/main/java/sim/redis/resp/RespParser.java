package sim.redis.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental request parser, after Redis's {@code processInlineBuffer} and {@code processMultibulkBuffer}
 * (networking.c): a request starting with {@code *} is a multibulk array of bulk strings, anything else is
 * an inline command split like {@code sdssplitargs}. Feed bytes with {@link #feed}, take commands with
 * {@link #next} until it returns null (need more bytes). Malformed input throws {@link ProtocolException}
 * with Redis's own message; the connection must then be closed.
 */
public final class RespParser {
  public static final int INLINE_MAX_SIZE = 64 * 1024;
  public static final long MAX_BULK_LEN = 512L * 1024 * 1024;

  private byte[] buf = new byte[4096];
  private int start; // first unparsed byte
  private int end; // one past the last byte fed

  // multibulk state survives across feeds, like c->multibulklen / c->bulklen
  private int multibulkLen;
  private long bulkLen = -1;
  private List<String> args;

  public void feed(byte[] data, int from, int count) {
    if (start > 0 && start == end) {
      start = 0;
      end = 0;
    }
    if (end + count > buf.length) {
      int live = end - start;
      if (live + count <= buf.length && start > 0) {
        System.arraycopy(buf, start, buf, 0, live);
      } else {
        byte[] bigger = new byte[Math.max(buf.length * 2, live + count)];
        System.arraycopy(buf, start, bigger, 0, live);
        buf = bigger;
      }
      start = 0;
      end = live;
    }
    System.arraycopy(data, from, buf, end, count);
    end += count;
  }

  public void feed(byte[] data) {
    feed(data, 0, data.length);
  }

  /** Bytes fed but not yet consumed by a complete command. */
  public int buffered() {
    return end - start;
  }

  /** The next complete command, or null when more bytes are needed. Empty commands are skipped. */
  public List<String> next() {
    while (start < end) {
      List<String> cmd;
      if (multibulkLen > 0 || buf[start] == '*') {
        cmd = nextMultibulk();
      } else {
        cmd = nextInline();
      }
      if (cmd == null) return null;
      if (!cmd.isEmpty()) return cmd;
    }
    return null;
  }

  private List<String> nextInline() {
    int nl = indexOf((byte) '\n', start);
    if (nl < 0) {
      if (end - start > INLINE_MAX_SIZE) throw new ProtocolException("too big inline request");
      return null;
    }
    int lineEnd = nl;
    if (lineEnd > start && buf[lineEnd - 1] == '\r') lineEnd--;
    String line = latin1(start, lineEnd - start);
    start = nl + 1;
    List<String> argv = splitArgs(line);
    if (argv == null) throw new ProtocolException("unbalanced quotes in request");
    return argv;
  }

  private List<String> nextMultibulk() {
    if (multibulkLen == 0) {
      int cr = indexOf((byte) '\r', start);
      if (cr < 0) {
        if (end - start > INLINE_MAX_SIZE) throw new ProtocolException("too big mbulk count string");
        return null;
      }
      if (cr + 1 >= end) return null; // the '\n' has not arrived yet
      Long n = parseLong(start + 1, cr);
      if (n == null || n > Integer.MAX_VALUE) throw new ProtocolException("invalid multibulk length");
      start = cr + 2;
      if (n <= 0) return List.of();
      multibulkLen = (int) (long) n;
      args = new ArrayList<>(Math.min(multibulkLen, 64));
    }
    while (multibulkLen > 0) {
      if (bulkLen == -1) {
        int cr = indexOf((byte) '\r', start);
        if (cr < 0) {
          if (end - start > INLINE_MAX_SIZE) throw new ProtocolException("too big bulk count string");
          return null;
        }
        if (cr + 1 >= end) return null;
        if (buf[start] != '$') {
          throw new ProtocolException("expected '$', got '" + (char) (buf[start] & 0xff) + "'");
        }
        Long n = parseLong(start + 1, cr);
        if (n == null || n < 0 || n > MAX_BULK_LEN) throw new ProtocolException("invalid bulk length");
        start = cr + 2;
        bulkLen = n;
      }
      if (end - start < bulkLen + 2) return null;
      args.add(latin1(start, (int) bulkLen));
      start += (int) bulkLen + 2;
      bulkLen = -1;
      multibulkLen--;
    }
    List<String> out = args;
    args = null;
    return out;
  }

  private int indexOf(byte b, int from) {
    for (int i = from; i < end; i++) if (buf[i] == b) return i;
    return -1;
  }

  private String latin1(int from, int count) {
    return new String(buf, from, count, StandardCharsets.ISO_8859_1);
  }

  /** Redis's string2ll over the bytes from..to: optional '-', digits, no leading zeros or '+'; else null. */
  private Long parseLong(int from, int to) {
    int n = to - from;
    if (n <= 0 || n > 19) return n > 19 ? Numbers.parseLong(latin1(from, n)) : null;
    boolean negative = buf[from] == '-';
    int i = negative ? from + 1 : from;
    if (i >= to) return null;
    if (buf[i] == '0') return (n == 1) ? 0L : null;
    long v = 0;
    for (; i < to; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  /**
   * sdssplitargs: whitespace-separated words, "double quotes" with \n \r \t \b \a \\ \" \xHH escapes,
   * 'single quotes' with \' only; a closing quote must be followed by a space or the end. Null on error.
   */
  public static List<String> splitArgs(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && isSpace(line.charAt(i))) i++;
      if (i >= n) return out;
      StringBuilder cur = new StringBuilder();
      boolean inDq = false;
      boolean inSq = false;
      boolean done = false;
      while (!done) {
        if (inDq) {
          if (i >= n) return null;
          char c = line.charAt(i);
          if (c == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
            cur.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
            i += 3;
          } else if (c == '\\' && i + 1 < n) {
            i++;
            char e = line.charAt(i);
            cur.append(switch (e) {
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'b' -> '\b';
              case 'a' -> (char) 7;
              default -> e;
            });
          } else if (c == '"') {
            if (i + 1 < n && !isSpace(line.charAt(i + 1))) return null;
            done = true;
          } else {
            cur.append(c);
          }
        } else if (inSq) {
          if (i >= n) return null;
          char c = line.charAt(i);
          if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
            i++;
            cur.append('\'');
          } else if (c == '\'') {
            if (i + 1 < n && !isSpace(line.charAt(i + 1))) return null;
            done = true;
          } else {
            cur.append(c);
          }
        } else {
          if (i >= n) {
            done = true;
            break;
          }
          char c = line.charAt(i);
          switch (c) {
            case ' ', '\n', '\r', '\t', '\0' -> done = true;
            case '"' -> inDq = true;
            case '\'' -> inSq = true;
            default -> cur.append(c);
          }
        }
        if (i < n) i++;
      }
      out.add(cur.toString());
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 128;
  }
}
