# image-builder's checks of a Windows node (in place of goss, which Debian's packer 1.6.6 has not):
# each check prints PASS or FAIL; any FAIL fails the build.
$failures = 0
function Check($name, [scriptblock]$test) {
    try { $ok = & $test } catch { $ok = $false }
    if ($ok) { Write-Output "PASS $name" } else { Write-Output "FAIL $name"; $script:failures++ }
}
Check "containerd service installed" { (Get-Service containerd -ErrorAction Stop).Name -eq "containerd" }
Check "containerd $env:CONTAINERD_VERSION" { (& "$env:ProgramFiles\containerd\containerd.exe" --version) -match [regex]::Escape($env:CONTAINERD_VERSION.TrimStart("v")) }
Check "kubelet $env:KUBERNETES_SEMVER" { (& C:\k\kubelet.exe --version) -match [regex]::Escape($env:KUBERNETES_SEMVER) }
Check "kubelet service installed" { (Get-Service kubelet -ErrorAction Stop).Name -eq "kubelet" }
Check "cloudbase-init installed" { Test-Path "$env:ProgramFiles\Cloudbase Solutions\Cloudbase-Init" }
Check "Containers feature enabled" { (Get-WindowsFeature Containers).InstallState -eq "Installed" }
Check "VMware Tools running" { (Get-Service VMTools -ErrorAction Stop).Status -eq "Running" }
if ($failures -gt 0) { Write-Output "$failures check(s) failed"; exit 1 }
Write-Output "every check passed"
