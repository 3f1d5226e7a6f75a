// The sample app's tests capture logs with the library's testing kit.
export { AmityCapturingLogger as CapturingLogger, type AmityCapturedLine as CapturedLine } from 'nestjs-amity-webhook/testing';
