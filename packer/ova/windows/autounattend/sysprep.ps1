# packer's shutdown command: WinRM off, then sysprep generalizes the image and shuts it down.
# cloudbase-init (installed by the Windows playbook) takes over on the first boot of a clone.
& C:\image-builder\disable-winrm.ps1
& "$env:SystemRoot\System32\Sysprep\sysprep.exe" /generalize /oobe /shutdown /quiet /mode:vm /unattend:C:\image-builder\sysprep-unattend.xml
