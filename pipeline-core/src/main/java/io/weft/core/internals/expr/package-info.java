/**
 * Weft's template references and its {@code when} / {@code forEach} expression language.
 *
 * <h2>References</h2>
 *
 * <p>A reference names a value available to a task:
 *
 * <ul>
 *   <li>{@code ${params.<name>}}: a parameter of the workflow run;
 *   <li>{@code ${tasks.<id>.outputs.<name>}}: an output of an upstream task;
 *   <li>{@code ${item}}: the current element inside a {@code forEach}.
 * </ul>
 *
 * <p>Each may be followed by {@code .<segment>} steps into the value: a field of an object, or an
 * element of an array when the segment is a number ({@code ${item.lr}}, {@code ${params.grid.0}},
 * {@code ${tasks.eval.outputs.metrics.accuracy}}). Names and segments consist of letters, digits,
 * {@code _} and {@code -}. Whitespace just inside the braces is ignored ({@code ${ params.x }}).
 * Referring to a value that does not exist is an error that names the reference.
 *
 * <h2>Templates</h2>
 *
 * <p>Every string in a task's params is a {@link io.weft.core.internals.expr.Template}. A string
 * that is exactly one reference, such as {@code "${params.epochs}"}, is replaced by the referenced
 * value with its JSON type: a number stays a number, a list a list. In any other string each
 * reference is replaced by its text: a string value as it is, any other value as JSON, e.g. {@code
 * "run-${params.epochs}"} gives {@code "run-10"}.
 *
 * <p>Write <code>$${</code> for a literal <code>${</code>: {@code "echo $${HOME}"} gives {@code
 * "echo ${HOME}"}.
 *
 * <h2>Expressions</h2>
 *
 * <p>{@code when} conditions and {@code forEach} sources are {@linkplain
 * io.weft.core.internals.expr.Expression expressions}:
 *
 * <pre>
 * expr      := or
 * or        := and ( '||' and )*
 * and       := not ( '&amp;&amp;' not )*
 * not       := '!' not | cmp
 * cmp       := primary ( ('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') primary )?
 * primary   := NUMBER | STRING | 'true' | 'false' | 'null' | REFERENCE | '(' expr ')'
 * NUMBER    := -?digits(.digits)?([eE][+-]?digits)?
 * STRING    := '...' or "..." with the escapes \' \" \\ \n \t
 * REFERENCE := a reference as above
 * </pre>
 *
 * <p>So comparisons bind tightest, then {@code !}, then {@code &&}, then {@code ||}: {@code !a ==
 * b} means {@code !(a == b)} (for booleans the same as {@code (!a) == b}); use parentheses to
 * negate an operand of a comparison. Comparisons do not chain: write {@code a < b && b < c}.
 * Whitespace between tokens is ignored.
 *
 * <ul>
 *   <li>{@code ==} and {@code !=} accept any two values. Numbers are equal when their values are
 *       ({@code 1 == 1.0}); values of different JSON types are never equal ({@code "1" == 1} is
 *       false); arrays and objects are equal when their elements are.
 *   <li>{@code <}, {@code <=}, {@code >} and {@code >=} compare two numbers by value or two strings
 *       lexicographically; anything else is an error.
 *   <li>{@code &&}, {@code ||} and {@code !} take booleans only, and {@code &&} and {@code ||}
 *       evaluate their right side only when needed: {@code false && ${params.missing}} is {@code
 *       false}.
 *   <li>A {@code when} condition must evaluate to a boolean. A lone reference evaluates to its
 *       value, so {@code forEach: ${params.grid}} gives the array.
 * </ul>
 *
 * <p>There is no arithmetic, no functions and no conversion between types. Strings in an expression
 * are literals: references inside quotes are not resolved. Every error is an {@link
 * io.weft.core.internals.expr.ExpressionException} whose message names the problem and its position
 * in the text.
 */
package io.weft.core.internals.expr;
