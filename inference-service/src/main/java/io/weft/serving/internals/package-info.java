/**
 * Internals of the inference service: the reference-counted model slots and their hot swap ({@code
 * ModelSlot}, {@code ServedModel}, {@code ServedModels}), the registry's production aliases,
 * request parsing and the HTTP endpoints ({@code InferRequestParser}, {@code V2Path}, {@code
 * InferenceHandler}). Models are loaded through the ML module's {@code io.weft.ml.api}. Not a
 * public API.
 */
package io.weft.serving.internals;
