package sim.redis.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import sim.redis.testing.RespClient;

class RespParserProperties {
  @Provide
  Arbitrary<List<List<String>>> commands() {
    Arbitrary<String> arg = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(40);
    return arg.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(10);
  }

  /** Any split of a pipelined multibulk stream into chunks parses to the same commands. */
  @Property(tries = 300)
  void multibulkRoundTripsUnderAnyChunking(@ForAll("commands") List<List<String>> cmds, @ForAll @IntRange(min = 1, max = 50) int chunk) {
    StringBuilder sb = new StringBuilder();
    for (List<String> c : cmds) sb.append(new String(RespClient.encode(c), StandardCharsets.ISO_8859_1));
    byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    RespParser p = new RespParser();
    List<List<String>> got = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += chunk) {
      p.feed(bytes, i, Math.min(chunk, bytes.length - i));
      for (List<String> c = p.next(); c != null; c = p.next()) got.add(c);
    }
    assertEquals(cmds, got);
    assertEquals(0, p.buffered());
  }

  /** Random bytes: the parser returns commands, asks for more, or throws ProtocolException; nothing else. */
  @Property(tries = 1000)
  void garbageGetsAProtocolErrorOrWaits(@ForAll("garbage") byte[] bytes) {
    RespParser p = new RespParser();
    p.feed(bytes);
    try {
      for (int i = 0; i < 10_000 && p.next() != null; i++) { }
    } catch (ProtocolException e) {
      assertTrue(e.replyText().startsWith("ERR Protocol error: "), e.replyText());
    }
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    Arbitrary<String> pieces = Arbitraries.of("*", "$", "\r\n", "\n", "-1", "0", "3", "99999999999", "x", "\"", "'", " ", "PING", "\\x4");
    return pieces.list().ofMaxSize(30).map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Example
  void inlineCommandsSplitLikeSdssplitargs() {
    RespParser p = new RespParser();
    p.feed("SET \"a b\\x41\" 'it''s'\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThrows(ProtocolException.class, p::next); // closing quote followed by a non-space
    p = new RespParser();
    p.feed("SET \"a b\\x41\" 'c d'\r\nGET x\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(List.of("SET", "a bA", "c d"), p.next());
    assertEquals(List.of("GET", "x"), p.next());
    assertNull(p.next());
  }

  @Example
  void redisProtocolErrorTexts() {
    assertEquals("invalid multibulk length", error("*x\r\n"));
    assertEquals("expected '$', got 'f'", error("*1\r\nfoo\r\n"));
    assertEquals("invalid bulk length", error("*1\r\n$-5\r\n"));
    assertEquals("unbalanced quotes in request", error("SET \"a\r\n"));
    assertEquals("too big inline request", error("x".repeat(70_000)));
  }

  private static String error(String input) {
    RespParser p = new RespParser();
    p.feed(input.getBytes(StandardCharsets.ISO_8859_1));
    return assertThrows(ProtocolException.class, () -> {
      while (p.next() != null) { }
    }).getMessage();
  }

  @Example
  void doublesFormatLikePrintf17g() {
    assertEquals("1.1000000000000001", Numbers.formatDouble(1.1));
    assertEquals("1", Numbers.formatDouble(1.0));
    assertEquals("-0", Numbers.formatDouble(-0.0));
    assertEquals("1e+20", Numbers.formatDouble(1e20));
    assertEquals("0.0001", Numbers.formatDouble(1e-4));
    assertEquals("1.0000000000000001e-05", Numbers.formatDouble(1e-5));
    assertEquals("inf", Numbers.formatDouble(Double.POSITIVE_INFINITY));
    assertEquals("12345678901234568", Numbers.formatDouble(12345678901234567.0));
  }

  @Property(tries = 500)
  void formattedDoublesParseBack(@ForAll double d) {
    if (Double.isNaN(d)) return;
    assertEquals(d, Numbers.parseDouble(Numbers.formatDouble(d)), 0.0);
  }

  @Property(tries = 500)
  void longsRoundTripAndNonCanonicalFormsAreRejected(@ForAll long v) {
    assertEquals(v, Numbers.parseLong(Long.toString(v)));
    assertNull(Numbers.parseLong("+" + v));
    assertNull(Numbers.parseLong(" " + v));
    assertNull(Numbers.parseLong("0" + Math.abs(v % 1000)));
  }
}
