package sim.cli.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.testing.SimTesting;

/** ./sim redis-server against real clients: raw sockets, redis-cli, and real redis-server reading its files. */
class RedisServerCommandTest {
  @TempDir Path dir;

  /** A raw socket connection that returns whatever the server sends until it goes quiet or closes. */
  static final class Raw implements AutoCloseable {
    final Socket s;
    final InputStream in;

    Raw(int port) throws IOException {
      s = new Socket("127.0.0.1", port);
      s.setSoTimeout(300);
      in = new BufferedInputStream(s.getInputStream());
    }

    String send(String bytes) throws IOException {
      s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        s.setSoTimeout(5000); // the first byte may take a while on a loaded machine
        int c = in.read();
        s.setSoTimeout(300); // then: quiet for 300 ms means the server answered everything it will
        for (; c >= 0; c = in.read()) got.write(c);
        got.write("<EOF>".getBytes(StandardCharsets.ISO_8859_1));
      } catch (java.net.SocketTimeoutException e) {
        // quiet: the server answered everything it will answer
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      s.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs ./sim redis-server in a thread; returns the thread (join after SHUTDOWN). */
  static Thread startOurs(int port, Path dir, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--dir", dir.toString(), "--save", ""));
    args.addAll(List.of(extra));
    Thread t = new Thread(() -> new RedisServerCommand().run(args.toArray(String[]::new), System.in,
        new PrintStream(new ByteArrayOutputStream()), System.err));
    t.start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return t;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IOException("our redis-server did not start");
  }

  static boolean onPath(String tool) {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(p, tool))) return true;
    }
    return false;
  }

  static Process startReal(int port, Path dir, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--dir", dir.toString(), "--logfile", dir.resolve("real.log").toString()));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("real.out").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try (Raw r = new Raw(port)) {
        if (r.send("PING\r\n").equals("+PONG\r\n")) return p;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    p.destroy();
    throw new IOException("real redis-server did not start: " + Files.readString(dir.resolve("real.log")));
  }

  @Test
  void inlineAndPipelinedCommandsAndShutdown() throws Exception {
    int port = freePort();
    Thread t = startOurs(port, dir);
    try (Raw r = new Raw(port)) {
      assertEquals("+PONG\r\n+OK\r\n$1\r\n1\r\n:2\r\n", r.send("PING\r\nSET x 1\r\n*2\r\n$3\r\nGET\r\n$1\r\nx\r\n*2\r\n$4\r\nINCR\r\n$1\r\nx\r\n"));
      assertEquals("$5\r\nhi yo\r\n", r.send("ECHO \"hi yo\"\r\n"));
      assertEquals("<EOF>", r.send("SHUTDOWN NOSAVE\r\n"));
    }
    t.join(5000);
    assertTrue(!t.isAlive(), "SHUTDOWN stops the server");
  }

  @Test
  void protocolErrorsMatchRealRedisAndOnlyThatConnectionCloses() throws Exception {
    SimTesting.requireOracle("redis-server 7.0", onPath("redis-server"), "apt-get install redis-server");
    List<String> malformed = List.of("*x\r\n", "*1\r\nfoo\r\n", "*1\r\n$-5\r\n", "SET \"a b\r\n", "*2\r\n$3\r\nGET\r\n$abc\r\n",
        "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\nx\r\n");
    int ourPort = freePort();
    int realPort = freePort();
    Path realDir = Files.createDirectories(dir.resolve("real"));
    Thread t = startOurs(ourPort, Files.createDirectories(dir.resolve("ours")));
    Process real = startReal(realPort, realDir);
    try (Raw bystander = new Raw(ourPort)) {
      assertEquals("+PONG\r\n", bystander.send("PING\r\n"));
      for (String bad : malformed) {
        String theirs;
        String ours;
        try (Raw r = new Raw(realPort)) {
          theirs = r.send(bad);
        }
        try (Raw r = new Raw(ourPort)) {
          ours = r.send(bad);
        }
        assertEquals(theirs, ours, "reply to " + bad.replace("\r\n", "\\r\\n"));
        assertTrue(ours.startsWith("-ERR Protocol error") || ours.contains("\r\n-ERR Protocol error"), ours);
      }
      assertEquals("+PONG\r\n", bystander.send("PING\r\n"), "other clients keep being served");
      bystander.send("SHUTDOWN NOSAVE\r\n");
    } finally {
      real.destroy();
      real.waitFor();
    }
    t.join(5000);
  }

  @Test
  void realRedisLoadsTheAofAndRdbOurServerWrote() throws Exception {
    SimTesting.requireOracle("redis-server 7.0", onPath("redis-server"), "apt-get install redis-server");
    int port = freePort();
    Thread t = startOurs(port, dir, "--appendonly", "yes", "--appendfsync", "always");
    try (Raw r = new Raw(port)) {
      r.send("SET a 1\r\nRPUSH l x y z\r\nHSET h f v\r\nSADD s 1 2 3\r\nZADD z 1.5 m\r\nSAVE\r\nSET after-save 2\r\n");
      r.send("SHUTDOWN NOSAVE\r\n");
    }
    t.join(5000);
    assertTrue(Files.exists(dir.resolve("appendonlydir/appendonly.aof.manifest")));
    int realPort = freePort();
    for (String aof : List.of("yes", "no")) { // AOF (all writes) and RDB (up to SAVE) as real Redis loads them
      Process real = startReal(realPort, dir, "--appendonly", aof);
      try (Raw r = new Raw(realPort)) {
        assertEquals(aof.equals("yes") ? ":6\r\n" : ":5\r\n", r.send("DBSIZE\r\n"));
        assertEquals("*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n", r.send("LRANGE l 0 -1\r\n"));
        assertEquals("$3\r\n1.5\r\n", r.send("ZSCORE z m\r\n"));
        r.send("SHUTDOWN NOSAVE\r\n");
      } finally {
        real.waitFor();
      }
    }
  }

  @Test
  void redisCliWorksUnchanged() throws Exception {
    SimTesting.requireOracle("redis-cli", onPath("redis-cli"), "apt-get install redis-tools");
    int port = freePort();
    Thread t = startOurs(port, dir);
    Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "SET", "greeting", "hello").redirectErrorStream(true).start();
    assertEquals("OK", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    p = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "GET", "greeting").redirectErrorStream(true).start();
    assertEquals("hello", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    try (Raw r = new Raw(port)) {
      r.send("SHUTDOWN NOSAVE\r\n");
    }
    t.join(5000);
  }

  @Test
  void badArgumentsExitWithUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new RedisServerCommand().run(new String[] {"--appendfsync", "sometimes"}, System.in,
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertEquals(2, code);
    assertTrue(err.toString().contains("appendfsync must be always, everysec or no"), err.toString());
  }
}
