package sim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import sim.core.explore.Explorer;
import sim.core.explore.SeedOutcome;
import sim.core.explore.Tally;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;

/**
 * Runs the seeds of an exploration on {@code jobs} threads. This is the edge where threads live: each
 * simulation stays single-threaded and deterministic, each worker thread has its own scenario objects (from
 * its own registry), and the outcomes are added to the tally in seed order, so what is printed is the same
 * whatever {@code jobs} is. Seeds are handed out in increasing order; once a seed fails, no later seed is
 * started, and the seeds before it finish, so the failure reported is always the lowest failing seed.
 */
final class ExploreRunner {
  /** What the progress display is told; called from worker threads. */
  interface Listener {
    void seedDone(String scenario, int done, int total);

    void failureFound(String scenario, SeedOutcome failure);
  }

  private final int jobs;
  private final Listener listener;
  private final ThreadLocal<ScenarioRegistry> registries = ThreadLocal.withInitial(ScenarioRegistry::load);

  ExploreRunner(int jobs, Listener listener) {
    this.jobs = jobs;
    this.listener = listener;
  }

  /** Explores {@code request} (its scenario is looked up again per thread, by name) and shrinks its first failure. */
  Explorer.Report explore(Explorer.Request request) {
    long[] seeds = request.seedList();
    SeedOutcome[] outcomes = new SeedOutcome[seeds.length];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger firstFailure = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger done = new AtomicInteger();
    String name = request.scenario().name();
    Runnable worker = () -> {
      Explorer.Request mine = withScenario(request, scenario(name, request.scenario()));
      while (true) {
        int i = next.getAndIncrement();
        if (i >= seeds.length || i > firstFailure.get()) return;
        SeedOutcome o = Explorer.runSeed(mine, seeds[i]);
        outcomes[i] = o;
        if (!o.held() && firstFailure.accumulateAndGet(i, Math::min) == i) listener.failureFound(name, o);
        listener.seedDone(name, done.incrementAndGet(), seeds.length);
      }
    };
    runOnThreads(worker);
    Tally tally = new Tally();
    SeedOutcome failure = null;
    for (SeedOutcome o : outcomes) {
      if (o == null) break; // after the first failure, later seeds were not run
      tally.add(o);
      if (!o.held()) {
        failure = o;
        break;
      }
    }
    if (failure == null) return new Explorer.Report(name, tally, null, null);
    return new Explorer.Report(name, tally, failure, Explorer.shrink(request, failure));
  }

  private Scenario scenario(String name, Scenario fallback) {
    return registries.get().find(name).orElse(fallback); // a scenario built by a test is not in the registry
  }

  private static Explorer.Request withScenario(Explorer.Request r, Scenario s) {
    return new Explorer.Request(s, r.options(), r.firstSeed(), r.seeds(), r.shard());
  }

  private void runOnThreads(Runnable worker) {
    if (jobs == 1) {
      worker.run();
      return;
    }
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = r -> {
      Thread t = new Thread(r, "explore-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService pool = Executors.newFixedThreadPool(jobs, named);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int j = 0; j < jobs; j++) futures.add(pool.submit(worker));
      for (Future<?> f : futures) f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while exploring", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
