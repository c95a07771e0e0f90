using System.Globalization;
using Scheduler.Core.Accounting;
using Scheduler.Core.Power;
using Scheduler.Signals.Models;

namespace Scheduler.Signals.Hardware;

/// <summary>
/// The hardware power models of <c>models/hardware-power.json</c>: CPU watts per vCPU by
/// microarchitecture, GPU watts by product, the hardware of common cloud instance types and, where
/// known, the embodied emissions of the host each instance type runs on.
/// </summary>
public sealed class HardwarePowerCatalog
{
    /// <summary>The model file inside <c>models/</c>.</summary>
    public const string FileName = "hardware-power.json";

    /// <summary>The id of the fleet-average entry used for unknown hardware.</summary>
    public const string DefaultId = "default";

    private readonly Dictionary<string, CpuClassModel> _cpuClasses;
    private readonly Dictionary<string, GpuModel> _gpusByName;
    private readonly Dictionary<string, InstanceTypeModel> _exactInstances;
    private readonly List<(string Prefix, InstanceTypeModel Model)> _instanceFamilies;

    private HardwarePowerCatalog(HardwareModelsDocument document)
    {
        _cpuClasses = document.CpuClasses.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
        _gpusByName = new Dictionary<string, GpuModel>(StringComparer.OrdinalIgnoreCase);
        foreach (var gpu in document.Gpus)
        {
            _gpusByName[Normalize(gpu.Product)] = gpu;
            foreach (var alias in gpu.Aliases)
            {
                _gpusByName.TryAdd(Normalize(alias), gpu);
            }
        }

        _exactInstances = new Dictionary<string, InstanceTypeModel>(StringComparer.OrdinalIgnoreCase);
        _instanceFamilies = [];
        foreach (var instance in document.InstanceTypes)
        {
            if (instance.Name.EndsWith('*'))
            {
                _instanceFamilies.Add((instance.Name[..^1], instance));
            }
            else
            {
                _exactInstances[instance.Name] = instance;
            }
        }

        // Longest prefix first, so "m5d." wins over "m5".
        _instanceFamilies.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
    }

    /// <summary>Loads the catalog.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is malformed, lacks its <c>default</c> entries or has an invalid <c>embodied</c> object (a figure
    /// that is not positive, or fewer <c>platformGpus</c> than the instance type's GPUs).
    /// </exception>
    public static HardwarePowerCatalog Load(ModelFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var document = files.ReadJson<HardwareModelsDocument>(FileName);
        if (document is null)
        {
            throw new InvalidDataException($"models/{FileName} is empty.");
        }

        var errors = new List<string>();
        foreach (var cpu in document.CpuClasses)
        {
            if (cpu.IdleWattsPerVcpu < 0 || cpu.MaxWattsPerVcpu < cpu.IdleWattsPerVcpu)
            {
                errors.Add($"cpu class {cpu.Id}: need 0 <= idleWattsPerVcpu <= maxWattsPerVcpu");
            }
        }

        foreach (var gpu in document.Gpus)
        {
            if (gpu.IdleWatts < 0 || gpu.ActiveWatts < gpu.IdleWatts)
            {
                errors.Add($"gpu {gpu.Product}: need 0 <= idleWatts <= activeWatts");
            }
        }

        foreach (var instance in document.InstanceTypes)
        {
            if (instance.Embodied is { } embodied)
            {
                ValidateEmbodied(instance, embodied, errors);
            }
        }

        if (!document.CpuClasses.Any(c => c.Id == DefaultId))
        {
            errors.Add("no cpu class with id 'default'");
        }

        if (!document.Gpus.Any(g => g.Product == DefaultId))
        {
            errors.Add("no gpu with product 'default'");
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"models/{FileName}: {string.Join("; ", errors)}");
        }

        return new HardwarePowerCatalog(document);
    }

    /// <summary>The power profile of a node with <paramref name="hardware"/>.</summary>
    public NodePowerProfile Describe(NodeHardware hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        var instance = FindInstance(hardware.InstanceType);
        var recognised = false;

        CpuClassModel? cpu = null;
        if (hardware.CpuClass is not null && _cpuClasses.TryGetValue(hardware.CpuClass, out var explicitClass))
        {
            cpu = explicitClass;
        }
        else if (instance?.CpuClass is not null && _cpuClasses.TryGetValue(instance.CpuClass, out var instanceClass))
        {
            cpu = instanceClass;
        }

        recognised |= cpu is not null;
        cpu ??= _cpuClasses[DefaultId];

        GpuPowerProfile? gpuProfile = null;
        var gpuName = string.Empty;
        if (hardware.GpuCount > 0)
        {
            GpuModel? gpu = null;
            if (hardware.GpuProduct is not null)
            {
                _gpusByName.TryGetValue(Normalize(hardware.GpuProduct), out gpu);
            }

            if (gpu is null && instance?.Gpu is not null)
            {
                _gpusByName.TryGetValue(Normalize(instance.Gpu), out gpu);
            }

            recognised |= gpu is not null;
            gpu ??= _gpusByName[DefaultId];
            gpuProfile = new GpuPowerProfile(gpu.Product, gpu.IdleWatts, gpu.ActiveWatts);
            gpuName = "+" + gpu.Product;
        }

        var model = (instance is not null ? instance.Name : cpu.Id) + gpuName;
        return new NodePowerProfile(
            hardware.CpuCores,
            hardware.CpuCores * cpu.IdleWattsPerVcpu,
            hardware.CpuCores * cpu.MaxWattsPerVcpu,
            gpuProfile,
            recognised ? PowerSource.HardwareModel : PowerSource.Default,
            model);
    }

    /// <summary>
    /// The embodied emissions of the host a node with <paramref name="hardware"/> runs on, found by its
    /// instance type as <see cref="Describe"/> finds it (an exact name beats a family wildcard), or
    /// <c>null</c> when the instance type is unknown or its entry has no embodied figures. There is no
    /// fallback: an unknown embodied total stays unknown rather than becoming a default or zero.
    /// </summary>
    public EmbodiedHardware? DescribeEmbodied(NodeHardware hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        var instance = FindInstance(hardware.InstanceType);
        if (instance?.Embodied is not { } embodied)
        {
            return null;
        }

        return new EmbodiedHardware(
            embodied.TotalKgCo2e,
            embodied.PlatformVcpus,
            embodied.PlatformGpus ?? 0,
            EmbodiedEmissions.Lifespan(embodied.LifespanYears),
            instance.Name);
    }

    private static void ValidateEmbodied(InstanceTypeModel model, EmbodiedModel embodied, List<string> errors)
    {
        var instance = model.Name;
        if (!IsPositive(embodied.TotalKgCo2e))
        {
            errors.Add($"instance type {instance}: embodied.totalKgCo2e must be a positive number of kgCO2e (was {embodied.TotalKgCo2e})");
        }

        if (!IsPositive(embodied.PlatformVcpus))
        {
            errors.Add($"instance type {instance}: embodied.platformVcpus must be positive (was {embodied.PlatformVcpus})");
        }

        if (embodied.PlatformGpus is <= 0)
        {
            errors.Add($"instance type {instance}: embodied.platformGpus must be positive when given (was {embodied.PlatformGpus}); leave it out for a host without GPUs");
        }
        else if (model.GpuCount is > 0 && (embodied.PlatformGpus ?? 0) < model.GpuCount)
        {
            errors.Add($"instance type {instance}: has {model.GpuCount} GPUs, so embodied.platformGpus must be at least {model.GpuCount} (was {embodied.PlatformGpus?.ToString(CultureInfo.InvariantCulture) ?? "missing"})");
        }

        if (!IsPositive(embodied.LifespanYears))
        {
            errors.Add($"instance type {instance}: embodied.lifespanYears must be greater than 0 (was {embodied.LifespanYears})");
        }
    }

    private static bool IsPositive(double value) => double.IsFinite(value) && value > 0;

    private InstanceTypeModel? FindInstance(string? instanceType)
    {
        if (string.IsNullOrEmpty(instanceType))
        {
            return null;
        }

        if (_exactInstances.TryGetValue(instanceType, out var exact))
        {
            return exact;
        }

        foreach (var (prefix, model) in _instanceFamilies)
        {
            if (instanceType.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return model;
            }
        }

        return null;
    }

    // GPU Feature Discovery writes product names with dashes for spaces; the models may use either.
    private static string Normalize(string name) => name.Trim().Replace(' ', '-').Replace('_', '-');
}
