using k8s.Models;
using Scheduler.Deploy.Tests.Support;

namespace Scheduler.Deploy.Tests.Extender;

/// <summary>The extender's ServiceAccount has exactly the rights the README's RBAC table lists, and no others.</summary>
public class RbacTests
{
    private const string ServiceAccount = "carbon-extender";
    private const string Namespace = "carbon-system";

    public static TheoryData<string> Overlays() => [.. Directory.GetDirectories(DeployPaths.In("overlays")).Select(DeployPaths.Relative)];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void ExtenderRights_AreExactlyTheReadmesTable(string overlay)
    {
        var granted = Granted(Kustomize.Render(DeployPaths.In(overlay)));
        var documented = Documented();

        Assert.Equal(Describe(documented), Describe(granted));
    }

    [Fact]
    public void ExtenderRights_NeverIncludeSecretsWildcardsOrEscalation()
    {
        var manifests = Kustomize.Render(DeployPaths.In("overlays", "default"));
        var rules = Roles(manifests).SelectMany(r => r.Rules).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            Assert.DoesNotContain("*", rule.Verbs);
            Assert.DoesNotContain("*", rule.Resources);
            Assert.DoesNotContain("*", rule.ApiGroups);
            Assert.DoesNotContain("secrets", rule.Resources);
            Assert.Empty(rule.Verbs.Intersect(["escalate", "bind", "impersonate", "delete", "deletecollection"]));
        });
    }

    private static Dictionary<(string Group, string Resource, string Where), SortedSet<string>> Granted(IReadOnlyList<Manifest> manifests)
    {
        var granted = new Dictionary<(string, string, string), SortedSet<string>>();
        foreach (var (where, role) in RolesWithScope(manifests))
        {
            foreach (var rule in role.Rules)
            {
                Assert.Null(rule.NonResourceURLs);
                foreach (var group in rule.ApiGroups)
                {
                    foreach (var resource in rule.Resources)
                    {
                        var key = (group, resource, where);
                        granted[key] = new SortedSet<string>([.. granted.GetValueOrDefault(key) ?? [], .. rule.Verbs], StringComparer.Ordinal);
                    }
                }
            }
        }

        return granted;
    }

    private static IEnumerable<V1ClusterRole> Roles(IReadOnlyList<Manifest> manifests) =>
        RolesWithScope(manifests).Select(r => r.Role);

    private static List<(string Where, V1ClusterRole Role)> RolesWithScope(IReadOnlyList<Manifest> manifests)
    {
        static bool IsOurs(IList<Rbacv1Subject>? subjects) =>
            subjects?.Any(s => s.Kind == "ServiceAccount" && s.Name == ServiceAccount && s.NamespaceProperty == Namespace) == true;

        var roles = new List<(string, V1ClusterRole)>();
        foreach (var binding in manifests.All<V1ClusterRoleBinding>().Where(b => IsOurs(b.Subjects)))
        {
            Assert.Equal("ClusterRole", binding.RoleRef.Kind);
            roles.Add(("cluster", manifests.Named<V1ClusterRole>(binding.RoleRef.Name)));
        }

        foreach (var binding in manifests.All<V1RoleBinding>().Where(b => IsOurs(b.Subjects)))
        {
            var ns = binding.Metadata.NamespaceProperty;
            var rules = binding.RoleRef.Kind == "Role"
                ? manifests.All<V1Role>().Single(r => r.Metadata.Name == binding.RoleRef.Name && r.Metadata.NamespaceProperty == ns).Rules
                : manifests.Named<V1ClusterRole>(binding.RoleRef.Name).Rules;
            roles.Add((ns, new V1ClusterRole { Rules = rules }));
        }

        return roles;
    }

    private static Dictionary<(string Group, string Resource, string Where), SortedSet<string>> Documented()
    {
        var rows = ReadmeSections.Table(ReadmeSections.Section("RBAC of the extender"));
        Assert.NotEmpty(rows);
        return rows.ToDictionary(
            cells => (ReadmeSections.Quoted(cells[0]).Single().Trim('"'), ReadmeSections.Quoted(cells[1]).Single(), cells[3] == "cluster" ? "cluster" : ReadmeSections.Quoted(cells[3]).Single()),
            cells => new SortedSet<string>(ReadmeSections.Quoted(cells[2]), StringComparer.Ordinal));
    }

    private static List<string> Describe(Dictionary<(string Group, string Resource, string Where), SortedSet<string>> rights) =>
        [.. rights.Select(p => $"{p.Key.Group}/{p.Key.Resource} in {p.Key.Where}: {string.Join(',', p.Value)}").Order(StringComparer.Ordinal)];
}
