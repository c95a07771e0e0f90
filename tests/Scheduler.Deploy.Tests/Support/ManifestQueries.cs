using k8s.Models;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>Lookups in a set of rendered manifests.</summary>
internal static class ManifestQueries
{
    /// <summary>The objects of model <typeparamref name="T"/>.</summary>
    public static IReadOnlyList<T> All<T>(this IEnumerable<Manifest> manifests) => [.. manifests.Select(m => m.Value).OfType<T>()];

    /// <summary>The one object of model <typeparamref name="T"/> named <paramref name="name"/>.</summary>
    public static T Named<T>(this IEnumerable<Manifest> manifests, string name) =>
        manifests.Where(m => m.Value is T && m.Name == name).Select(m => (T)m.Value).Single();

    /// <summary>The container <paramref name="name"/> of a Deployment.</summary>
    public static V1Container Container(this V1Deployment deployment, string name) =>
        deployment.Spec.Template.Spec.Containers.Single(c => c.Name == name);

    /// <summary>The literal value of an environment variable, or null when it has none (or comes from elsewhere).</summary>
    public static string? Env(this V1Container container, string name) =>
        container.Env?.SingleOrDefault(e => e.Name == name)?.Value;

    /// <summary>
    /// The volume mounted at the folder that holds <paramref name="file"/>, with the mount; fails when no mount
    /// holds it.
    /// </summary>
    public static (V1VolumeMount Mount, V1Volume Volume) MountOf(this V1Deployment deployment, V1Container container, string file)
    {
        var mount = (container.VolumeMounts ?? []).SingleOrDefault(m => file.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        Assert.True(mount is not null, $"{file} is not under a volume mount of {container.Name}.");
        var volume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        return (mount, volume);
    }

    /// <summary>The file name of <paramref name="file"/> inside its mount (the Secret or ConfigMap key, unless items rename it).</summary>
    public static string KeyIn(this V1Volume volume, V1VolumeMount mount, string file)
    {
        var relative = file[(mount.MountPath.TrimEnd('/').Length + 1)..];
        var items = volume.Secret?.Items ?? volume.ConfigMap?.Items;
        return items?.SingleOrDefault(i => i.Path == relative)?.Key ?? relative;
    }
}
