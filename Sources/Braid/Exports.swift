// The umbrella module: `import Braid` brings in every public Braid module.
@_exported import BraidAttention
@_exported import BraidAutograd
@_exported import BraidData
@_exported import BraidEncoders
@_exported import BraidFusion
@_exported import BraidGeneration
@_exported import BraidLanguageModels
@_exported import BraidNN
@_exported import BraidTensor
@_exported import BraidTraining
