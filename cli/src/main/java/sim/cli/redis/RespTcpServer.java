package sim.cli.redis;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import sim.redis.resp.ProtocolException;
import sim.redis.resp.RespOut;
import sim.redis.resp.RespParser;
import sim.redis.command.ClientState;
import sim.redis.host.RedisEnv;
import sim.redis.server.RedisServer;

/**
 * The edge: a single-threaded NIO event loop speaking RESP2 on 127.0.0.1, shaped like Redis's ae loop.
 * Each iteration reads every readable connection and runs all complete commands in its buffer
 * (pipelining), then calls {@link RedisServer#beforeSleep} (AOF write and fsync per policy), and only then
 * writes the replies, so {@code appendfsync always} holds here too.
 *
 * <p>Time: the model's clock is the wall clock. Every command sees {@code System.currentTimeMillis()} as
 * mstime(), and serverCron runs whenever 1000/hz ms of wall time have passed (the selector wakes at least
 * that often), so TTLs, save points, everysec fsyncs and children finish in real time.
 */
final class RespTcpServer {
  private static final int READ_BUFFER = 64 * 1024;

  private final RedisServer server;
  private final Selector selector;
  private final ServerSocketChannel listener;
  private final PrintStream log;
  private final ByteBuffer readBuf = ByteBuffer.allocate(READ_BUFFER);
  private final List<Conn> pendingWrites = new ArrayList<>();
  private volatile boolean running = true;
  private long nextCronMs;
  private int nextClientId;

  /** One connection: its parser, its client state, its unsent replies. */
  private static final class Conn {
    final SocketChannel channel;
    final RespParser parser = new RespParser();
    final ClientState client;
    final RespOut out = new RespOut(16 * 1024);
    int written;
    boolean closeAfterWrite;
    boolean queued;

    Conn(SocketChannel channel, ClientState client) {
      this.channel = channel;
      this.client = client;
    }
  }

  RespTcpServer(RedisServer server, int port, PrintStream log) throws IOException {
    this.server = server;
    this.log = log;
    this.selector = Selector.open();
    this.listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress("127.0.0.1", port), 511);
    listener.configureBlocking(false);
    listener.register(selector, SelectionKey.OP_ACCEPT);
  }

  int port() {
    return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
  }

  static RedisEnv wallClockEnv(PrintStream log) {
    SplittableRandom random = new SplittableRandom(); // the edge: run ids differ per process, as with Redis
    return new RedisEnv() {
      @Override
      public long nowMs() {
        return System.currentTimeMillis();
      }

      @Override
      public int randomInt(int bound) {
        return random.nextInt(bound);
      }

      @Override
      public void point(String name, String detail, Object... attributes) {
        log.println("* " + name + ": " + detail);
      }

      @Override
      public void log(String line) {
        log.println("* " + line);
      }

      @Override
      public boolean pointsEnabled() {
        return false; // the AOF write/fsync points would be per event-loop iteration
      }
    };
  }

  void stop() {
    running = false;
    selector.wakeup();
  }

  /** Runs the event loop until {@link #stop}. */
  void serve() throws IOException {
    long cronEveryMs = 1000L / server.config().hz;
    nextCronMs = System.currentTimeMillis() + cronEveryMs;
    try {
      while (running) {
        long wait = Math.max(1, nextCronMs - System.currentTimeMillis());
        selector.select(wait);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) continue;
          if (key.isAcceptable()) accept();
          else if (key.isReadable()) read(key);
          else if (key.isWritable()) writeOut((Conn) key.attachment());
        }
        if (System.currentTimeMillis() >= nextCronMs) {
          server.cron();
          nextCronMs = System.currentTimeMillis() + cronEveryMs;
        }
        server.beforeSleep(); // the AOF reaches the file (and disk, under always) before any reply below
        for (Conn c : pendingWrites) {
          c.queued = false;
          writeOut(c);
        }
        pendingWrites.clear();
      }
    } finally {
      for (SelectionKey k : selector.keys()) k.channel().close();
      selector.close();
    }
  }

  private void accept() throws IOException {
    SocketChannel ch = listener.accept();
    if (ch == null) return;
    ch.configureBlocking(false);
    ch.socket().setTcpNoDelay(true);
    Conn c = new Conn(ch, server.connect("client-" + nextClientId++));
    ch.register(selector, SelectionKey.OP_READ, c);
  }

  private void read(SelectionKey key) throws IOException {
    Conn c = (Conn) key.attachment();
    readBuf.clear();
    int n;
    try {
      n = c.channel.read(readBuf);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      close(c);
      return;
    }
    if (c.closeAfterWrite) return; // after a protocol error Redis ignores further input
    c.parser.feed(readBuf.array(), 0, n);
    try {
      for (List<String> argv = c.parser.next(); argv != null; argv = c.parser.next()) {
        server.execute(c.client, argv, c.out);
        if (server.shutdownRequested()) {
          running = false;
          return;
        }
      }
    } catch (ProtocolException e) {
      c.out.error(e.replyText());
      c.closeAfterWrite = true;
      log.println("# Protocol error from " + c.client.name() + ": " + e.getMessage() + " (closing the connection)");
    }
    if (c.out.length() > c.written && !c.queued) {
      c.queued = true;
      pendingWrites.add(c);
    } else if (c.closeAfterWrite && c.out.length() == c.written) {
      close(c);
    }
  }

  private void writeOut(Conn c) throws IOException {
    if (!c.channel.isOpen()) return;
    ByteBuffer buf = ByteBuffer.wrap(c.out.array(), c.written, c.out.length() - c.written);
    try {
      c.written += c.channel.write(buf);
    } catch (IOException e) {
      close(c);
      return;
    }
    SelectionKey key = c.channel.keyFor(selector);
    if (c.written < c.out.length()) {
      key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      return;
    }
    c.out.clear();
    c.written = 0;
    key.interestOps(SelectionKey.OP_READ);
    if (c.closeAfterWrite) close(c);
  }

  private void close(Conn c) throws IOException {
    server.disconnect(c.client);
    SelectionKey key = c.channel.keyFor(selector);
    if (key != null) key.cancel();
    c.channel.close();
  }
}
