package sim.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sim.core.scenario.ScenarioRegistry;
import sim.lab.server.LabServer;

/** {@code ./sim ui}: the live lab in a browser, on 127.0.0.1 only; runs until interrupted (Ctrl-C). */
@Command(name = "ui", description = "The live lab: a local web app over the simulation (127.0.0.1 only): step, crash, rewind, inspect.")
final class UiCommand extends Main.Streams implements Callable<Integer> {
  @Option(names = "--port", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 for any free port).")
  int port = 8080;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Only 127.0.0.1 (or localhost) is accepted: the lab never listens on another interface.")
  String bind = "127.0.0.1";

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!bind.equals("127.0.0.1") && !bind.equals("localhost")) {
      throw new Main.UsageError("--bind " + bind + ": the lab listens on 127.0.0.1 only (it runs code on request and has no login)");
    }
    if (port < 0 || port > 65535) throw new Main.UsageError("--port must be 0..65535, got " + port);
    LabServer server;
    try {
      server = LabServer.start(port, ScenarioRegistry.load());
    } catch (java.net.BindException e) {
      throw new Main.UsageError("port " + port + " on 127.0.0.1 is taken (" + e.getMessage() + "); try --port 0 for any free port");
    }
    out.println("lab: " + server.url() + " (Ctrl-C to stop)");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "lab-shutdown"));
    stopped.await();
    return 0;
  }
}
