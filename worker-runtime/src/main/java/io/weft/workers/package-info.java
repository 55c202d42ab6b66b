/** The worker runtime and Weft's built-in task types. */
package io.weft.workers;
