package sim.redis.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A minimal RESP2 client for tests: sends a command as a multibulk array, returns the raw reply text. */
public final class RespClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RespClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  public String call(String... argv) throws IOException {
    return call(List.of(argv));
  }

  /** Sends argv and returns the reply exactly as the server encoded it (one char per byte). */
  public String call(List<String> argv) throws IOException {
    out.write(encode(argv));
    out.flush();
    return readReply();
  }

  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public static byte[] encode(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    sb.append('*').append(argv.size()).append("\r\n");
    for (String a : argv) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** One complete reply, raw; null at end of stream. */
  public String readReply() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    if (!readValue(buf)) return null;
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  private boolean readValue(ByteArrayOutputStream buf) throws IOException {
    String line = readLine();
    if (line == null) return false;
    buf.write(line.getBytes(StandardCharsets.ISO_8859_1));
    buf.write('\r');
    buf.write('\n');
    char type = line.charAt(0);
    if (type == '$') {
      int n = Integer.parseInt(line.substring(1));
      if (n >= 0) {
        byte[] data = in.readNBytes(n + 2);
        buf.write(data);
      }
    } else if (type == '*') {
      int n = Integer.parseInt(line.substring(1));
      for (int i = 0; i < n; i++) readValue(buf);
    }
    return true;
  }

  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) return sb.length() == 0 ? null : sb.toString();
      if (c == '\r') {
        in.read(); // '\n'
        return sb.toString();
      }
      sb.append((char) c);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
