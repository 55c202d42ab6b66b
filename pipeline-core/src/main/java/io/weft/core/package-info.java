/** Workflow definitions, the coordinator and the client of Weft. */
package io.weft.core;
