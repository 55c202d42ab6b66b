/** Weft's benchmark harness. */
package io.weft.benchmarks;
