/**
 * Internals of the inference service: the reference-counted model slots and their hot swap ({@code
 * ModelSlot}, {@code ServedModel}, {@code ServedModels}), the registry's production aliases,
 * request parsing and the HTTP endpoints ({@code InferRequestParser}, {@code V2Path}, {@code
 * InferenceHandler}, which answers a transport-neutral {@code ServingRequest} with a {@code
 * ServingResponse}), and the HTTP server on Netty that reads and writes them ({@code
 * NettyHttpServer}, a {@code HttpConnection} per connection), the gRPC endpoint ({@code
 * GrpcServer}, {@code GrpcInferenceService}, {@code GrpcTensors}). Models are loaded through the ML
 * module's {@code io.weft.ml.api}. Not a public API.
 */
package io.weft.serving.internals;
