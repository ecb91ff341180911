package sim.core;

/** Marker for a timer a node sets on itself. Records in a model's sealed hierarchy; toString is traced. */
public interface Timer {}
