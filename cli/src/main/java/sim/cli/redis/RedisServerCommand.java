package sim.cli.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import sim.core.cli.CommandPlugin;
import sim.redis.aof.AofException;
import sim.redis.rdb.RdbException;
import sim.redis.config.RedisConfig;
import sim.redis.host.Durability;
import sim.redis.host.RedisExit;
import sim.redis.server.RedisServer;

/**
 * {@code ./sim redis-server --port P --dir D [--appendonly yes|no] [--appendfsync always|everysec|no]
 * [--save "3600 1 ..."] [--dbfilename F] [--aof-use-rdb-preamble yes|no]}: the Redis model behind a real
 * RESP2 socket, with its files in a real directory that real redis-server can load (and vice versa).
 */
public final class RedisServerCommand implements CommandPlugin {
  private static final String VERSION = "7.0.15";

  @Override
  public String name() {
    return "redis-server";
  }

  @Override
  public String summary() {
    return "serve the Redis model over RESP2 on 127.0.0.1 (redis-cli and redis-benchmark work); files in --dir";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    RedisConfig config = new RedisConfig();
    config.childBaseMs = 0;
    config.childMillisPer1000Keys = 0;
    int port = 6379;
    Path dir = Path.of(".");
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("-h") || a.equals("--help")) {
          out.println(usage());
          return 0;
        }
        if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
        String v = args[++i];
        switch (a) {
          case "--port" -> port = Integer.parseInt(v);
          case "--dir" -> dir = Path.of(v);
          case "--appendonly" -> config.appendonly = yesNo(a, v);
          case "--appendfsync" -> config.appendfsync = RedisConfig.AppendFsync.parse(v);
          case "--save" -> config.savePoints = RedisConfig.parseSave(v);
          case "--dbfilename" -> config.dbfilename = v;
          case "--aof-use-rdb-preamble" -> config.aofUseRdbPreamble = yesNo(a, v);
          case "--aof-load-truncated" -> config.aofLoadTruncated = yesNo(a, v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
      config.port = port;
    } catch (IllegalArgumentException e) {
      err.println("redis-server: " + e.getMessage());
      err.println(usage());
      return 2;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.println("redis-server: cannot create --dir " + dir + ": " + e.getMessage());
      return 2;
    }
    DirectoryFiles files = new DirectoryFiles(dir);
    RedisServer server = new RedisServer(config, files, RespTcpServer.wallClockEnv(out), Durability.synchronous(files));
    try {
      server.start();
    } catch (RdbException | AofException e) {
      err.println("redis-server: refusing to start, " + dir + " left untouched: " + e.getMessage());
      return 1;
    } catch (RedisExit | java.io.UncheckedIOException e) {
      err.println("redis-server: exiting while starting: " + e.getMessage());
      return 1;
    }
    try {
      RespTcpServer tcp = new RespTcpServer(server, port, out);
      java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
      Thread hook = new Thread(() -> { // SIGTERM: stop the loop and wait for the clean shutdown (AOF fsync, RDB save)
        tcp.stop();
        try {
          finished.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "redis-sim-sigterm");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("* Ready to accept connections tcp (redis-sim " + VERSION + " on 127.0.0.1:" + tcp.port() + ")");
      out.flush();
      tcp.serve();
      if (!server.shutdownRequested()) server.shutdown(false, false);
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already exiting
      }
      return 0;
    } catch (IOException e) {
      err.println("redis-server: " + e.getMessage());
      return 1;
    } catch (RedisExit e) {
      err.println("redis-server: " + e.getMessage());
      return 1;
    } finally {
      files.closeAll();
    }
  }

  private static boolean yesNo(String option, String v) {
    if (v.equals("yes")) return true;
    if (v.equals("no")) return false;
    throw new IllegalArgumentException(option + " must be yes or no, got '" + v + "'");
  }

  private static String usage() {
    return "usage: ./sim redis-server [--port 6379] [--dir .] [--appendonly yes|no] [--appendfsync always|everysec|no] "
        + "[--save \"3600 1 300 100 60 10000\"] [--dbfilename dump.rdb] [--aof-use-rdb-preamble yes|no] [--aof-load-truncated yes|no]";
  }
}
