// The SDK's default credential chain, imported from here rather than from the package: an
// import() of the package is the whole of it — a dozen providers (Cognito, SSO, STS, web
// identity…) evaluated before the first request — while this module lets the bundle keep only
// this one function and what it uses. About 8 ms before diagnose's first request.
export { fromNodeProviderChain } from '@aws-sdk/credential-providers';
