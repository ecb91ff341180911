package sim.redis.node;

import java.util.List;
import sim.core.Message;

/** What clients and the server exchange over the simulated network: one RESP command, one reply. */
public sealed interface RedisMessage extends Message {
  /** A command from a client connection; {@code id} matches the reply. */
  record Request(long id, List<String> argv) implements RedisMessage {}

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
      return "Reply[id=" + id + ", resp=" + resp.replace("\r", "\\r").replace("\n", "\\n") + "]";
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
}
