package sim.redis.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes RESP2 replies straight into a growable byte buffer, as Redis's {@code addReply*} family does into a
 * client's output buffer. Strings are "byte strings": Java strings whose chars are all in 0..255
 * (ISO-8859-1), so every Redis value round-trips byte for byte.
 */
public final class RespOut {
  private static final byte[] CRLF = {'\r', '\n'};
  private byte[] buf;
  private int len;

  public RespOut() {
    this(256);
  }

  public RespOut(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  public RespOut ok() {
    return simple("OK");
  }

  public RespOut simple(String s) {
    put((byte) '+');
    putLatin1(s);
    return crlf();
  }

  /** An error reply; Redis replaces newlines in error texts with spaces, so do we. */
  public RespOut error(String s) {
    put((byte) '-');
    putLatin1(s.replace('\r', ' ').replace('\n', ' '));
    return crlf();
  }

  public RespOut integer(long v) {
    put((byte) ':');
    putLatin1(Long.toString(v));
    return crlf();
  }

  public RespOut bulk(String s) {
    if (s == null) return nullBulk();
    put((byte) '$');
    putLatin1(Integer.toString(s.length()));
    crlf();
    putLatin1(s);
    return crlf();
  }

  public RespOut nullBulk() {
    putLatin1("$-1");
    return crlf();
  }

  public RespOut arrayHeader(int n) {
    put((byte) '*');
    putLatin1(Integer.toString(n));
    return crlf();
  }

  public RespOut nullArray() {
    putLatin1("*-1");
    return crlf();
  }

  /** Appends already-encoded reply bytes (EXEC's queued replies). */
  public RespOut raw(byte[] bytes, int from, int count) {
    ensure(count);
    System.arraycopy(bytes, from, buf, len, count);
    len += count;
    return this;
  }

  public int length() {
    return len;
  }

  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** The encoded bytes as a byte string (one char per byte). */
  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
  }

  public void clear() {
    len = 0;
  }

  private RespOut crlf() {
    ensure(2);
    buf[len++] = CRLF[0];
    buf[len++] = CRLF[1];
    return this;
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void putLatin1(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) buf[len + i] = (byte) s.charAt(i);
    len += n;
  }

  private void ensure(int extra) {
    if (len + extra <= buf.length) return;
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
  }
}
