/** The {@code weft} command. */
package io.weft.cli;
