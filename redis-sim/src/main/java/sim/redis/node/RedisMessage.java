package sim.redis.node;

import java.util.List;
import sim.core.Message;

/** What clients and the server exchange over the simulated network: one RESP command, one reply. */
public sealed interface RedisMessage extends Message {
  /** A command from a client connection; {@code id} matches the reply. */
  record Request(long id, List<String> argv) implements RedisMessage {
    @Override
    public String toString() { // one readable trace line: a DUMP payload's bytes escaped
      StringBuilder b = new StringBuilder("Request[id=").append(id).append(", argv=[");
      for (int i = 0; i < argv.size(); i++) b.append(i == 0 ? "" : ", ").append(printable(argv.get(i)));
      return b.append("]]").toString();
    }
  }

  /**
   * Commands a client wrote in one go (a pipeline: Sentinel's MULTI … EXEC): they arrive together, as the
   * bytes of one TCP write do, and the server runs them in one iteration; the replies come back as one Reply
   * tagged with the last request's id.
   */
  record Pipeline(List<Request> requests) implements RedisMessage {}

  /** The server's reply, RESP-encoded as a byte string. */
  record Reply(long id, String resp) implements RedisMessage {
    @Override
    public String toString() { // one trace line: CR and LF escaped
      return "Reply[id=" + id + ", resp=" + printable(resp) + "]";
    }
  }

  /**
   * Bytes of a replication link, master to replica: the answer to PSYNC, the RDB, then the command stream.
   * {@code epoch} is the id of the PSYNC that opened the link and {@code seq} the stream position of the first
   * byte, so the replica sees a lost or repeated message as TCP would never let it: a broken connection.
   */
  record ReplStream(long epoch, long seq, byte[] bytes) implements RedisMessage {
    @Override
    public String toString() {
      return "ReplStream[epoch=" + epoch + ", seq=" + seq + ", " + bytes.length + " bytes]";
    }
  }

  /**
   * A byte string (one char per byte) as one printable trace line, as sdscatrepr escapes: CR, LF and tab as
   * {@code \r \n \t}, any other byte outside printable ASCII as {@code \xNN}.
   */
  static String printable(String bytes) {
    StringBuilder b = null;
    for (int i = 0; i < bytes.length(); i++) {
      char c = bytes.charAt(i);
      boolean plain = c >= 0x20 && c < 0x7f;
      if (plain && b == null) continue;
      if (b == null) b = new StringBuilder(bytes.length() + 16).append(bytes, 0, i);
      if (plain) b.append(c);
      else if (c == '\r') b.append("\\r");
      else if (c == '\n') b.append("\\n");
      else if (c == '\t') b.append("\\t");
      else b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c & 0xff));
    }
    return b == null ? bytes : b.toString();
  }
}
