package sim.redis.resp;

/** Malformed client input; the message is the text after Redis's "Protocol error: ". */
public final class ProtocolException extends RuntimeException {
  public ProtocolException(String message) {
    super(message);
  }

  /** The error reply Redis sends before closing the connection. */
  public String replyText() {
    return "ERR Protocol error: " + getMessage();
  }
}
