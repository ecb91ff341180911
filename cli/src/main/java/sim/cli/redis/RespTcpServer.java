package sim.cli.redis;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
  private final Map<ClientState, Conn> conns = new IdentityHashMap<>();
  private volatile boolean running = true;
  private long nextCronMs;

  /** One connection: its parser, its client state (whose buffer holds the unsent replies), its unread commands. */
  private static final class Conn {
    final SocketChannel channel;
    final RespParser parser = new RespParser();
    final ClientState client;
    final RespOut out;
    final ArrayDeque<List<String>> unread = new ArrayDeque<>(); // parsed while the client was blocked
    int written;
    boolean closeAfterWrite;
    ProtocolException protocolError;

    Conn(SocketChannel channel, ClientState client) {
      this.channel = channel;
      this.client = client;
      this.out = client.out;
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
        for (boolean again = true; again && running; ) { // clients unblocked this iteration run what they sent
          again = false;
          for (Conn c : List.copyOf(conns.values())) {
            if (!c.unread.isEmpty() && !c.client.isBlocked()) {
              runCommands(c);
              again = true;
            }
          }
          if (again) server.beforeSleep();
        }
        for (ClientState cs : server.takePendingWrites()) {
          Conn c = conns.get(cs);
          if (c != null) writeOut(c);
          else cs.out.clear();
        }
        for (Conn c : errored) writeOut(c);
        errored.clear();
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
    InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
    Conn c = new Conn(ch, server.connect(peer.getAddress().getHostAddress() + ":" + peer.getPort()));
    conns.put(c.client, c);
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
      for (List<String> argv = c.parser.next(); argv != null; argv = c.parser.next()) c.unread.add(argv);
    } catch (ProtocolException e) {
      c.unread.add(List.of()); // marks where the protocol error is, after the commands before it
      c.protocolError = e;
    }
    runCommands(c);
  }

  private final List<Conn> errored = new java.util.ArrayList<>();

  /** processInputBuffer: the parsed commands in order, stopping while the client is blocked (BLPOP, WAIT...). */
  private void runCommands(Conn c) throws IOException {
    while (!c.unread.isEmpty() && !c.client.isBlocked() && !c.closeAfterWrite) {
      List<String> argv = c.unread.poll();
      if (argv.isEmpty()) {
        c.out.error(c.protocolError.replyText());
        c.closeAfterWrite = true;
        log.println("# Protocol error from " + c.client.addr() + ": " + c.protocolError.getMessage() + " (closing the connection)");
        errored.add(c); // sent with this iteration's replies, after beforeSleep, then the connection closes
        return;
      }
      server.execute(c.client, argv);
      if (server.shutdownRequested()) {
        running = false;
        return;
      }
      if (c.client.closeRequested()) c.closeAfterWrite = true;
    }
  }

  private void writeOut(Conn c) throws IOException {
    if (!c.channel.isOpen()) return;
    if (c.out.length() == c.written) {
      if (c.closeAfterWrite) close(c);
      return;
    }
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
    if (conns.remove(c.client) == null) return;
    server.disconnect(c.client);
    SelectionKey key = c.channel.keyFor(selector);
    if (key != null) key.cancel();
    c.channel.close();
  }
}
