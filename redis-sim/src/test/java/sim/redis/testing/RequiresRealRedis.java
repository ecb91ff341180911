package sim.redis.testing;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import sim.core.testing.SimTesting;

/**
 * A jqwik container that talks to a real redis-server: skipped cleanly when there is none, unless
 * {@code SIM_ORACLES=required}, where it runs and its {@code @BeforeContainer} fails loudly (jqwik reports an
 * assumption failing in a {@code @BeforeContainer} as an error, not a skip, so the decision is made here).
 */
public final class RequiresRealRedis implements SkipExecutionHook {
  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    if (RealRedis.available() || SimTesting.oraclesRequired()) return SkipResult.doNotSkip();
    return SkipResult.skip("redis-server 7.0 is not available here: apt-get install redis-server (test skipped; set "
        + SimTesting.ORACLES_ENV + "=required to make it fail)");
  }
}
