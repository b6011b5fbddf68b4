// The CLI and the tests see every layer through this module.
@_exported public import ImageBuilderBasics
@_exported public import ImageBuilderConfig
@_exported public import ImageBuilderPacker
@_exported public import ImageBuilderPlanning
